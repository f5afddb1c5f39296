using System.Text.RegularExpressions;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Engine.Testing;
using CodeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// The Java runtime's resident compiler (runtimes/agent/PROTOCOL.md, "Resident compiler"), on an engine with a single
/// Java container, so that every run lands where the one before it ran. Each program says which container it ran in,
/// who owns the class file it runs from (uid 999 when the resident compiled it, 1000 when plain javac did), and which
/// resident process is alive (its pid and start time): the same resident before and after a run means that run's
/// compile went to it.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ResidentCompilerTests : IAsyncLifetime
{
    private const int ResidentUid = 999;

    private IHost? _host;

    private IExecutionEngine Engine => _host!.Services.GetRequiredService<IExecutionEngine>();

    public async Task InitializeAsync()
    {
        var settings = EngineFixture.Settings(poolSize: 1);
        settings["Engine:MaxContainersPerRuntime"] = "1";
        _host = await EngineFixture.StartHostAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <summary>Prints the container, the class file's owner, the resident (pid and start time), then runs <c>{0}</c>.</summary>
    private const string Report = """
        import java.nio.file.*;
        import java.util.*;

        public class Main {
            public static void main(String[] args) throws Exception {
                System.out.println("container " + Files.readString(Path.of("/etc/hostname")).trim());
                System.out.println("owner " + Files.getAttribute(Path.of("/build/Main.class"), "unix:uid"));
                try (var folders = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path folder : folders) {
                        try {
                            if (Files.readAllLines(folder.resolve("status")).stream().anyMatch(l -> l.matches("Uid:\\s+999\\s.*"))) {
                                String stat = Files.readString(folder.resolve("stat"));
                                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                                System.out.println("resident " + folder.getFileName() + "@" + fields[19]);
                            }
                        } catch (java.io.IOException gone) {
                        }
                    }
                }
                {0}
            }
        }
        """;

    private static string Program(string more = "") => Report.Replace("{0}", more, StringComparison.Ordinal);

    private sealed record Seen(string Container, int Owner, string? Resident);

    private static Seen Parse(RunResult result)
    {
        Assert.True(result.Verdict.Succeeded, result.ToString());
        string Value(string key) => Regex.Match(result.Stdout, $"^{key} (.+)$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"the program did not print '{key}': {result}");
        var residents = Regex.Matches(result.Stdout, "^resident (.+)$", RegexOptions.Multiline);
        Assert.True(residents.Count <= 1, result.ToString());
        return new Seen(Value("container"), int.Parse(Value("owner")), residents.Count == 1 ? residents[0].Groups[1].Value : null);
    }

    private static async Task<Seen> RunReportAsync(IEngineSession session, string more = "") =>
        Parse(await session.RunAsync("Main.java", Program(more)));

    /// <summary>The first runs of a fresh container may come before the resident is up: it is started with the container.</summary>
    private static async Task<Seen> ResidentCompiledAsync(IEngineSession session)
    {
        var seen = await RunReportAsync(session);
        Assert.Equal(ResidentUid, seen.Owner);
        Assert.NotNull(seen.Resident);
        return seen;
    }

    [Fact]
    public async Task ACompileError_IsExactlyPlainJavacsText()
    {
        await using var session = Engine.CreateSession();
        var before = await ResidentCompiledAsync(session);
        const string Broken = """
            public class Main {
                public static void main(String[] args) {
                    int count = "three";
                    System.out.println(undefined(count));
                }
            }
            """;
        var viaResident = await session.RunAsync("Main.java", Broken);
        Assert.False(viaResident.Verdict.Succeeded, viaResident.ToString());

        // Plain javac, as the program's user, on the same file under the same relative name, with runtime.json's options.
        var plainResult = await session.RunAsync("Main.java", Program($$"""
            Path folder = Files.createDirectories(Path.of("/tmp/plain"));
            Files.writeString(folder.resolve("Main.java"), {{JavaString(Broken)}});
            var javac = new ProcessBuilder("javac", "-encoding", "UTF-8", "-d", "/tmp/plain/out", "-sourcepath", ".", "Main.java")
                .directory(folder.toFile()).redirectErrorStream(true).start();
            System.out.print("plain javac said:\n" + new String(javac.getInputStream().readAllBytes()) + "plain javac exit " + javac.waitFor());
            """));
        var plain = Parse(plainResult);
        var after = await ResidentCompiledAsync(session);

        Assert.Equal(before.Container, plain.Container);
        Assert.Equal(before.Resident, after.Resident); // the broken compile went to this resident
        Assert.Contains("incompatible types: String cannot be converted to int", viaResident.Stderr);
        Assert.Contains("plain javac exit 1", plainResult.Stdout);
        const string Said = "plain javac said:\n";
        var plainText = plainResult.Stdout[(plainResult.Stdout.IndexOf(Said, StringComparison.Ordinal) + Said.Length)..plainResult.Stdout.IndexOf("plain javac exit", StringComparison.Ordinal)];
        Assert.Equal(plainText, viaResident.Stderr);
    }

    private static string JavaString(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    [Fact]
    public async Task OneRunsClasses_NeverAppearInTheNextRunsCompile()
    {
        await using var session = Engine.CreateSession();
        var before = await ResidentCompiledAsync(session);
        const string UsesHelper = "public class Main { public static void main(String[] a) { System.out.println(Helper.greet()); } }";
        var withHelper = await session.RunAsync("Main.java", UsesHelper,
            others: ("Helper.java", "public class Helper { static String greet() { return \"hello from Helper\"; } }"));
        Assert.True(withHelper.Verdict.Succeeded, withHelper.ToString());
        Assert.Equal("hello from Helper\n", withHelper.Stdout);

        var withoutHelper = await session.RunAsync("Main.java", UsesHelper);
        Assert.False(withoutHelper.Verdict.Succeeded, withoutHelper.ToString());
        Assert.Contains("cannot find symbol", withoutHelper.Stderr);
        Assert.Contains("Helper", withoutHelper.Stderr);

        var after = await ResidentCompiledAsync(session);
        Assert.Equal(before.Container, after.Container);
        Assert.Equal(before.Resident, after.Resident); // both compiles went to the resident that compiled Helper
    }

    [Fact]
    public async Task AProgram_CannotSignalTraceOrReadTheResident_AndItLivesOn()
    {
        await using var session = Engine.CreateSession();
        var before = await ResidentCompiledAsync(session);
        var pid = before.Resident!.Split('@')[0];
        var attack = await session.RunAsync("Main.java", Program($$"""
            String pid = "{{pid}}";
            for (String file : new String[] { "environ", "mem", "maps", "fd", "cwd", "root" }) {
                try {
                    Path path = Path.of("/proc", pid, file);
                    if (Files.isDirectory(path)) { Files.list(path).count(); } else { Files.readAllBytes(path); }
                    System.out.println("read " + file);
                } catch (Exception e) {
                    System.out.println("refused " + file);
                }
            }
            var kill = new ProcessBuilder("sh", "-c", "kill -KILL " + pid).redirectErrorStream(true).start();
            System.out.println("kill said " + new String(kill.getInputStream().readAllBytes()).trim() + ", exit " + kill.waitFor());
            System.out.println("destroy " + ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::destroyForcibly).orElse(false));
            """));

        foreach (var file in new[] { "environ", "mem", "maps", "fd", "cwd", "root" })
        {
            Assert.Contains($"refused {file}\n", attack.Stdout);
        }

        Assert.Matches("kill said .*Operation not permitted, exit [1-9]", attack.Stdout);
        Assert.Contains("destroy false", attack.Stdout);
        var after = await ResidentCompiledAsync(session);
        Assert.Equal(before.Resident, after.Resident);
    }

    /// <summary>
    /// Round after round, because the next run often comes while the killed JVM is still exiting: its pipe is closed
    /// but the agent has not reaped it yet. That compile must still run (plainly), not die of SIGPIPE in the relay; it
    /// did in about one round in seven here before the relay ignored SIGPIPE.
    /// </summary>
    [Fact]
    public async Task AResidentThatDies_IsReplacedAfterTheNextRun_WhichCompilesWithPlainJavac()
    {
        await using var session = Engine.CreateSession();
        var before = await ResidentCompiledAsync(session);
        for (var round = 0; round < 20; round++)
        {
            await EndToEnd.Docker.ExecAsync(before.Container, "sh", "-c", "kill -KILL " + before.Resident!.Split('@')[0]);

            var meanwhile = await RunReportAsync(session);
            Assert.Equal(before.Container, meanwhile.Container);
            Assert.Equal(1000, meanwhile.Owner); // plain javac, as the program's user
            Assert.Null(meanwhile.Resident);

            var after = await ResidentCompiledAsync(session);
            Assert.Equal(before.Container, after.Container);
            Assert.NotEqual(before.Resident, after.Resident);
            before = after;
        }
    }

    [Fact]
    public async Task ACompileCutShortByItsTimeLimit_TakesTheResidentWith_AndTheResidentsCpuTimeIsNotTheRuns()
    {
        await using var session = Engine.CreateSession();
        var before = await ResidentCompiledAsync(session);
        var lines = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"        x += {i} * x + \"{i}\".length();\n"));
        var slow = await (await session.StartRunAsync(new RunRequest
        {
            EntryFile = "Main.java",
            Files = [SourceFile.Text("Main.java", $"public class Main {{\n    public static void main(String[] a) {{\n        int x = 0;\n{lines}    }}\n}}\n")],
            Limits = new RunLimits { WallTime = TimeSpan.FromSeconds(1) },
        })).CollectAsync();
        Assert.True(slow.Verdict.TimedOut, slow.ToString());
        Assert.True(slow.Verdict.CompileFailed || slow.Verdict.ExitCode is null, slow.ToString());
        // The resident was reaped during this run, with the CPU time it spent warming up since the container started.
        Assert.True(slow.Verdict.CpuTime < TimeSpan.FromSeconds(1), slow.ToString());

        // The engine may replace a container whose run timed out; wherever the next run lands, a resident compiles it.
        var after = await ResidentCompiledAsync(session);
        Assert.False(before.Container == after.Container && before.Resident == after.Resident, "the resident of a killed compile lived on");
    }
}
