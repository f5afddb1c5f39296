using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The web host, started the way scripts/run starts it: the built CodeRunner.Web.dll, run from the CodeRunner.Web
/// folder, with <c>--urls http://127.0.0.1:&lt;free port&gt;</c>. Its output is kept for failure messages.
/// </summary>
public sealed class WebHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly DirectoryInfo _data;

    private WebHostProcess(Process process, Uri address, DirectoryInfo data)
    {
        _process = process;
        _data = data;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Kills the host with SIGKILL, as a crash would: nothing of it gets to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<WebHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var webFolder = Path.Combine(RepositoryRoot(), "CodeRunner.Web");
        var dll = Path.Combine(webFolder, "bin", Configuration(), "net10.0", "CodeRunner.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The web host is not built: {dll} is missing. Build CodeRunner.Web first.");
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        // Its own database, unless the test gives one: tests never share the data of a developer's scripts/run.
        var data = Directory.CreateTempSubdirectory("coderunner-web-");
        start.Environment["Database__Path"] = Path.Combine(data.FullName, "coderunner.db");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var host = new WebHostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), address, data);
        await host.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(Address);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The web host did not answer at {Address} within {timeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The configuration this test assembly was built with (Debug or Release), so the host matches it.</summary>
    private static string Configuration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent?.Name is { Length: > 0 } name ? name : "Debug";

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CodeRunner.Blazor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CodeRunner.Blazor.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Stops the host; the database it was given by default goes with it (one a test gave is the test's).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so that the engine removes its containers; then make sure.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _data.Delete(recursive: true);
    }
}
