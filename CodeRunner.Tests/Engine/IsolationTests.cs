using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class IsolationTests(EngineFixture fixture)
{
    /// <summary>Plants a file in every writable place, a SysV segment, and a background process that leaves its session.</summary>
    private const string PlantEverywhere = """
        import ctypes, os, socket, subprocess
        print(socket.gethostname())
        for folder in ['/workspace', '/workspace/sub', '/tmp', '/build', '/dev/shm']:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, 'planted.txt'), 'w') as f:
                f.write('left by run A')
        os.chmod('/workspace/sub', 0)
        libc = ctypes.CDLL(None)
        assert libc.shmget(0x1234, 4096, 0o1666) >= 0
        assert libc.mq_open(b'/planted', os.O_CREAT | os.O_RDWR, 0o600, None) >= 0
        subprocess.Popen(['sleep', '300'], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ['LEAKED'] = 'yes'
        print('planted')
        """;

    private const string Inspect = """
        import os, socket
        print(socket.gethostname())
        found = [os.path.join(d, n) for d in ['/workspace', '/tmp', '/build', '/dev/shm', '/dev/mqueue'] for n in os.listdir(d)
                 if n != 'inspect.py']
        others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]
        shm = open('/proc/sysvipc/shm').read().splitlines()[1:]
        print('files', found)
        print('processes', others)
        print('shm', shm)
        print('env', os.environ.get('LEAKED'))
        """;

    [Fact]
    public async Task RunB_OnTheSameContainer_SeesNothingRunALeft()
    {
        await using var session = fixture.Engine.CreateSession();
        var a = await session.RunAsync("plant.py", PlantEverywhere);
        Assert.True(a.Verdict.Succeeded, a.ToString());
        var containerOfA = a.Stdout.Split('\n')[0];

        // The pool hands containers out in turn; keep running until run B lands where run A ran.
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var b = await session.RunAsync("inspect.py", Inspect);
            Assert.True(b.Verdict.Succeeded, b.ToString());
            if (b.Stdout.Split('\n')[0] != containerOfA)
            {
                continue;
            }

            Assert.Contains("files []", b.Stdout);
            Assert.Contains("processes []", b.Stdout);
            Assert.Contains("shm []", b.Stdout);
            Assert.Contains("env None", b.Stdout);
            return;
        }

        Assert.Fail($"No later run landed on container {containerOfA}.");
    }

    [Fact]
    public async Task Program_CannotWriteOutsideItsMounts()
    {
        const string code = """
            import os
            for folder in ['/', '/etc', '/usr/local', '/var/tmp', '/root', '/opt', '/run']:
                try:
                    open(os.path.join(folder, 'x'), 'w')
                    print('wrote', folder)
                except OSError:
                    pass
            print('done')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("write.py", code);
        Assert.Equal("done\n", result.Stdout);
    }

    [Fact]
    public async Task FastMode_HasOnlyLoopback()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("net.py", "import os\nprint(sorted(os.listdir('/sys/class/net')))");
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal("['lo']\n", result.Stdout);
    }

    [Fact]
    public async Task Program_RunsUnprivileged_WithOnlyTheEnvironmentItWasGiven()
    {
        const string code = """
            import os
            print(os.getuid(), os.getgid())
            print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])
            print(sorted(os.environ))
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("who.py", code);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("1000 1000", lines[0]);
        Assert.Equal("0000000000000000", lines[1]);
        Assert.DoesNotContain("HOSTNAME", lines[2]);
        Assert.Contains("'PATH'", lines[2]);
    }
}
