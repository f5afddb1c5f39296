using System.Diagnostics;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Tests.EndToEnd;

namespace CodeRunner.Tests.Unit;

/// <summary>The engine uses the image scripts/lib/ensure-images.sh built only when both compute the same hash.</summary>
public sealed class RuntimeImageHashTests
{
    private static readonly string Runtimes = Path.Combine(WebHostProcess.RepositoryRoot(), "runtimes");

    public static TheoryData<string> Folders() =>
        [.. Directory.EnumerateFiles(Runtimes, "runtime.json", SearchOption.AllDirectories).Select(p => Path.GetFileName(Path.GetDirectoryName(p)!)).Order()];

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task EveryRuntime_EngineAndBuildScript_ComputeTheSameHash(string folder)
    {
        Assert.Equal(await ScriptHashAsync(folder), RuntimeImageHash.ForRuntime(Runtimes, "agent", folder));
    }

    [Fact]
    public void CSharp_PrepareStamp_IsMixedIntoTheHash()
    {
        Assert.True(File.Exists(Path.Combine(Runtimes, "csharp", RuntimeImageHash.PrepareHook)));
        Assert.NotEqual(RuntimeImageHash.Compute(Runtimes, "agent", "csharp"), RuntimeImageHash.ForRuntime(Runtimes, "agent", "csharp"));
    }

    private static async Task<string> ScriptHashAsync(string folder)
    {
        var root = WebHostProcess.RepositoryRoot();
        using var process = Process.Start(new ProcessStartInfo("bash",
            ["-c", "source scripts/lib/common.sh && source scripts/lib/ensure-images.sh && runtime_hash \"$1\"", "bash", folder])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, await stderr);
        return (await stdout).Trim();
    }
}
