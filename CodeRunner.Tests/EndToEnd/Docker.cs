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

    private static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {error}");
    }
}
