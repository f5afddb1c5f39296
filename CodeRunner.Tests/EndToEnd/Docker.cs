using System.Diagnostics;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>Asks the Docker CLI what exists, by the labels and names the engine gives its resources.</summary>
public static class Docker
{
    /// <summary>The network-mode kit a session's network came from: every resource of that network carries its label.</summary>
    public static async Task<string> KitOfNetworkAsync(string network) =>
        (await RunAsync("network", "inspect", network, "--format", "{{index .Labels \"coderunner.kit\"}}")).Trim();

    public static async Task<IReadOnlyList<string>> KitContainersAsync(string kit) =>
        Lines(await RunAsync("ps", "-aq", "--filter", "label=coderunner.managed=true", "--filter", $"label=coderunner.kit={kit}"));

    public static async Task<bool> NetworkExistsAsync(string name) =>
        Lines(await RunAsync("network", "ls", "-q", "--filter", $"name=^{name}$")).Count > 0;

    /// <summary>Runs a command in a running container, as root: what only the server's administrator could do.</summary>
    public static Task<string> ExecAsync(string container, params string[] command) => RunAsync(["exec", container, .. command]);

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Runs <c>docker run --rm -i</c> with <paramref name="stdin"/> as its input, whatever its exit code: its stderr.</summary>
    public static async Task<string> RunWithInputAsync(string stdin, params string[] args) =>
        (await CallAsync(["run", "--rm", "-i", .. args], stdin)).Error;

    private static async Task<string> RunAsync(params string[] args)
    {
        var (exitCode, output, error) = await CallAsync(args, stdin: null);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {error}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> CallAsync(IEnumerable<string> args, string? stdin)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker did not start.");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }
}
