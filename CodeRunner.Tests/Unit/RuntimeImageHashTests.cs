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
