using System.Diagnostics;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Unit;

/// <summary>
/// The engine's image hash (RuntimeImageHash) and the build script's (folder_hash in scripts/lib/ensure-images.sh)
/// agree, so the engine finds the images the script built; and neither sees a runtime's examples/.
/// </summary>
public sealed class RuntimeImageHashTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-hash-").FullName;

    public static TheoryData<string> Runtimes => [.. Directory.EnumerateDirectories(RealRuntimes.Path).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Hash_OfEachRuntimeFolder_EqualsTheBuildScripts(string runtime)
    {
        var folders = runtime == "agent" ? new[] { "agent" } : ["agent", runtime];

        Assert.Equal(await ScriptHashAsync(RealRuntimes.Path, folders), RuntimeImageHash.Compute(RealRuntimes.Path, folders));
    }

    /// <summary>What the engine labels a runtime's image with: the build script's runtime_hash, prepare stamp and all.</summary>
    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task EveryRuntime_EngineAndBuildScript_ComputeTheSameImageHash(string folder)
    {
        var root = Path.GetDirectoryName(RealRuntimes.Path)!;
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
        Assert.Equal((await stdout).Trim(), RuntimeImageHash.ForRuntime(RealRuntimes.Path, "agent", folder));
    }

    public static TheoryData<string> Manifests() =>
        [.. Directory.EnumerateFiles(RealRuntimes.Path, "runtime.json", SearchOption.AllDirectories).Select(p => Path.GetFileName(Path.GetDirectoryName(p)!)).Order(StringComparer.Ordinal)];

    [Fact]
    public void CSharp_PrepareStamp_IsMixedIntoTheHash()
    {
        Assert.True(File.Exists(Path.Combine(RealRuntimes.Path, "csharp", RuntimeImageHash.PrepareHook)));
        Assert.NotEqual(RuntimeImageHash.Compute(RealRuntimes.Path, "agent", "csharp"), RuntimeImageHash.ForRuntime(RealRuntimes.Path, "agent", "csharp"));
    }

    [Fact]
    public async Task EditingOrAddingAnExample_LeavesBothHashesAlone()
    {
        var runtimes = RealRuntimes.CopyTo(_scratch);
        var before = (Engine: RuntimeImageHash.Compute(runtimes, "agent", "python"), Script: await ScriptHashAsync(runtimes, "agent", "python"));

        await File.AppendAllTextAsync(Path.Combine(runtimes, "python", "examples", "python", "hello.py"), "print('changed')\n");
        Directory.CreateDirectory(Path.Combine(runtimes, "python", "examples", "python", "more"));
        await File.WriteAllTextAsync(Path.Combine(runtimes, "python", "examples", "python", "more", "new.py"), "print('new')\n");

        Assert.Equal(before, (RuntimeImageHash.Compute(runtimes, "agent", "python"), await ScriptHashAsync(runtimes, "agent", "python")));
    }

    [Fact]
    public async Task EditingAFileOfTheImage_ChangesBothHashesAlike()
    {
        var runtimes = RealRuntimes.CopyTo(_scratch);
        var before = RuntimeImageHash.Compute(runtimes, "agent", "python");

        await File.AppendAllTextAsync(Path.Combine(runtimes, "python", "Dockerfile"), "# changed\n");

        var after = RuntimeImageHash.Compute(runtimes, "agent", "python");
        Assert.NotEqual(before, after);
        Assert.Equal(after, await ScriptHashAsync(runtimes, "agent", "python"));
    }

    /// <summary>folder_hash from scripts/lib/ensure-images.sh, run by bash on <paramref name="runtimes"/>.</summary>
    private static async Task<string> ScriptHashAsync(string runtimes, params string[] folders)
    {
        var script = Path.Combine(Path.GetDirectoryName(RealRuntimes.Path)!, "scripts", "lib", "ensure-images.sh");
        var start = new ProcessStartInfo("bash", ["-c", "source \"$1\"; RUNTIMES_DIR=\"$2\"; shift 2; folder_hash \"$@\"", "bash", script, runtimes, .. folders])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["REPO_ROOT"] = Path.GetDirectoryName(runtimes);
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $"folder_hash failed: {await errors}");
        return (await output).Trim();
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
