using System.Diagnostics;

namespace CodeRunner.Bench;

/// <summary>Runs a command line (the Docker CLI, for the alternatives a user would otherwise use).</summary>
internal static class Cli
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    /// <summary>Wall time of one command, in milliseconds.</summary>
    public static async Task<double> TimeAsync(string file, params string[] arguments)
    {
        var started = Stopwatch.GetTimestamp();
        await RunAsync(file, arguments);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
