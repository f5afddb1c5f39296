using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CodeRunner.Tests.EndToEnd;

namespace CodeRunner.Tests.Deployment;

/// <summary>Runs the repository's scripts and commands as a technician would, keeping their output for failure messages.</summary>
internal static class Scripts
{
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>This result, or a failure that quotes the command's output.</summary>
        public Result EnsureSuccess(string what)
        {
            Assert.True(ExitCode == 0, $"{what} failed with exit code {ExitCode}:\n{Output}");
            return this;
        }
    }

    /// <summary>Runs a command from the repository root, with stdout and stderr together; kills it after the timeout.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = WebHostProcess.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append($"(killed after {timeout.TotalSeconds} s)");
            return new Result(-1, Text());
        }

        process.WaitForExit(); // the output's last lines
        return new Result(process.ExitCode, Text());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>A script of the repository's scripts/ folder.</summary>
    public static Task<Result> ScriptAsync(string name, TimeSpan timeout, params string[] arguments) =>
        RunAsync(Path.Combine(WebHostProcess.RepositoryRoot(), "scripts", name), arguments, timeout);

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A short random suffix for names this test run owns (a user, a unit, an image, a volume).</summary>
    public static string Suffix() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
}
