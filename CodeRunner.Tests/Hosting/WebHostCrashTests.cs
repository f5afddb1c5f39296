using System.Diagnostics;
using CodeRunner.Tests.EndToEnd;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Hosting;

/// <summary>The web host killed with SIGKILL leaves its containers and network behind; the next start removes them.</summary>
public sealed class WebHostCrashTests
{
    private static Dictionary<string, string> Settings() => new()
    {
        ["Engine__PoolSize"] = "1",
        ["Engine__NetworkKits"] = "1",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__CodeRunner.Engine.Hosting.ExecutionEngine"] = "Information",
    };

    private const string Warm = "Engine warm:";

    [Fact]
    public async Task KilledWebHost_StartedAgain_RemovesEverythingItLeft()
    {
        var crashed = await WebHostProcess.StartAsync(Settings());
        var pid = crashed.ProcessId;
        List<string> left;
        try
        {
            // A pool of one container per sandbox runtime, the SQL server and its network, and a network kit (a
            // network, a holder and a container per sandbox runtime): all made before the engine says it is warm.
            await WaitForAsync(() => Task.FromResult(crashed.Output.Contains(Warm, StringComparison.Ordinal) ? Warm : null),
                "the first host to warm its pools, SQL server and kit");
            left = await OwnedByAsync(pid);
            Assert.True(left.Count >= 12, string.Join(", ", left));
            await crashed.KillAsync();
            Assert.Equal(left.Count, (await OwnedByAsync(pid)).Count); // nothing cleaned up after a SIGKILL
        }
        finally
        {
            await crashed.DisposeAsync();
        }

        await using var restarted = await WebHostProcess.StartAsync(Settings());
        await WaitForAsync(async () => (await OwnedByAsync(pid)).Count == 0 ? left : null,
            "the second host's start-up sweep to remove the first host's containers and network");
    }

    /// <summary>Names of the containers and networks whose owner label names this process.</summary>
    private static async Task<List<string>> OwnedByAsync(int pid)
    {
        var listing = await OutputAsync(
            "{ docker ps -a --filter label=coderunner.managed=true --format '{{.Names}} {{.Label \"coderunner.owner\"}}';"
            + " docker network ls --filter label=coderunner.managed=true --format '{{.Name}} {{.Label \"coderunner.owner\"}}'; }");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2 && parts[1].Split('/') is { Length: >= 3 } owner && owner[1] == pid.ToString())
            .Select(parts => parts[0])
            .ToList();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"Timed out waiting for {what}.");
            await Task.Delay(500);
        }
    }

    private static async Task<string> OutputAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
