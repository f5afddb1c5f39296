using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>Programs that try to hurt the server, the next student or the engine. Each is contained, with a clear verdict.</summary>
[Collection(DockerCollection.Name)]
public sealed class HostileProgramTests(EngineFixture fixture)
{
    private async Task AssertPoolStillRunsAsync(string language = "python")
    {
        await using var session = fixture.Engine.CreateSession();
        var (entry, code) = language == "c"
            ? ("ok.c", "#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }")
            : ("ok.py", "print('ok')");
        var next = await session.RunAsync(entry, code);
        Assert.True(next.Verdict.Succeeded, "the next run failed: " + next);
        Assert.Equal("ok\n", next.Stdout);
    }

    [Theory]
    [InlineData("/workspace")]
    [InlineData("/tmp")]
    public async Task FillingADisk_EndsWithNoSpaceLeft_AndTheNextRunWorks(string folder)
    {
        var code = $$"""
            import errno
            try:
                with open('{{folder}}/filler', 'wb') as f:
                    while True:
                        f.write(b'x' * (1 << 20))
                        f.flush()
            except OSError as e:
                print('full:', errno.errorcode[e.errno])
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("fill.py", code);
        Assert.Equal("full: ENOSPC\n", result.Stdout);
        await AssertPoolStillRunsAsync();
    }

    [Fact]
    public async Task EndlessOutputWithoutNewline_HitsTheCap()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("flood.py", "import sys\nwhile True:\n    sys.stdout.write('x' * 1000)");
        Assert.True(result.Verdict.OutputLimitExceeded, result.Verdict.Summary);
        Assert.DoesNotContain('\n', result.Stdout);
        await AssertPoolStillRunsAsync();
    }

    [Fact]
    public async Task ASingle5MbLine_IsCutAtTheCap_WithAVerdictThatSaysSo()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("line.py", "print('y' * 5_000_000)");
        Assert.True(result.Verdict.OutputLimitExceeded, result.Verdict.Summary);
        Assert.Equal(1024 * 1024, result.Stdout.Length);
        Assert.Contains("output limit", result.Verdict.Summary);
    }

    [Fact]
    public async Task InvalidUtf8AndNulBytes_ArriveAsReplacementCharactersAndNul()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("bytes.py", "import sys\nsys.stdout.buffer.write(b'ok\\xff\\xfe\\x00end \\xe2\\x82\\xac\\n')");
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("ok\uFFFD\uFFFD\0end €\n", result.Stdout);
    }

    [Fact]
    public async Task AProgramThatIgnoresSigterm_IsStoppedAnyway()
    {
        const string code = "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\nwhile True:\n    pass";
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("stubborn.py", code));
        await run.WaitForStdoutAsync("ready");
        await run.StopAsync();
        var verdict = await run.Completion.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.True(verdict.Stopped, verdict.Summary);
        Assert.Equal(9, verdict.Signal);
    }

    [Theory]
    [InlineData("subprocess.Popen(['setsid', 'sleep', '300'])")]
    [InlineData("subprocess.Popen(['nohup', 'sleep', '300'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)")]
    [InlineData("os.system('(sleep 300 &) ; disown 2>/dev/null')")]
    public async Task ABackgroundProcess_DoesNotOutliveItsRun(string escape)
    {
        var code = $"import os, socket, subprocess\nprint(socket.gethostname())\n{escape}\n";
        const string count = """
            import os, socket
            print(socket.gethostname())
            print(len([p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]))
            """;
        await using var session = fixture.Engine.CreateSession();
        var escaped = await session.RunAsync("escape.py", code);
        Assert.True(escaped.Verdict.Succeeded, escaped.ToString());
        var host = escaped.Stdout.Split('\n')[0];
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var check = await session.RunAsync("count.py", count);
            var lines = check.Stdout.Split('\n');
            if (lines[0] == host)
            {
                Assert.Equal("0", lines[1]);
                return;
            }
        }

        Assert.Fail("no later run landed in the same container");
    }

    [Fact]
    public async Task ForgingTheProtocolOrSignallingTheAgent_Fails_AndTheVerdictIsTheRealOne()
    {
        const string code = """
            import os, struct, sys
            fake_exit = struct.pack('<IB3x', 30, 0x85) + struct.pack('<iiIIQIH', 0, 0, 1, 1, 1, 0, 0)
            for attempt in ('write', 'kill'):
                try:
                    if attempt == 'write':
                        with open('/proc/1/fd/1', 'wb') as agent:
                            agent.write(fake_exit)
                    else:
                        os.kill(1, 9)
                    print(attempt, 'succeeded')
                except OSError as e:
                    print(attempt, 'refused:', type(e).__name__)
            sys.stdout.flush()
            sys.stdout.buffer.write(fake_exit)  # inside its own output, this is only text
            sys.exit(7)
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("forge.py", code);
        Assert.StartsWith("write refused: PermissionError\nkill refused: PermissionError\n", result.Stdout);
        Assert.Equal(7, result.Verdict.ExitCode);
        await AssertPoolStillRunsAsync();
    }

    [Fact]
    public async Task TheEnvironment_HoldsNoSecretOfTheHost()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("env.py", "import os\nprint(' '.join(sorted(os.environ)))");
        Assert.Equal("CODERUNNER_IMAGE_FD HOME LANG MPLBACKEND MPLCONFIGDIR PATH PYTHONDONTWRITEBYTECODE PYTHONPATH PYTHONUNBUFFERED TMPDIR USER\n", result.Stdout);
    }

    [Fact]
    public async Task BadUploads_AreRefusedBeforeAnythingRuns()
    {
        await using var session = fixture.Engine.CreateSession();
        var huge = new SourceFile("data.bin", new byte[20 * 1024 * 1024]);
        var many = Enumerable.Range(0, 5000).Select(i => SourceFile.Text($"f{i}.py", "")).ToList();
        RunRequest[] requests =
        [
            new() { EntryFile = "main.py", Files = [SourceFile.Text("main.py", ""), SourceFile.Text("../up.py", "")] },
            new() { EntryFile = "main.py", Files = [SourceFile.Text("main.py", ""), SourceFile.Text("/etc/cron.d/x", "")] },
            new() { EntryFile = "main.py", Files = [SourceFile.Text("main.py", ""), huge] },
            new() { EntryFile = "main.py", Files = [SourceFile.Text("main.py", ""), .. many] },
        ];
        foreach (var request in requests)
        {
            await Assert.ThrowsAsync<InvalidRunRequestException>(() => session.StartRunAsync(request));
        }

        Assert.Empty(session.ActiveRuns);
    }
}
