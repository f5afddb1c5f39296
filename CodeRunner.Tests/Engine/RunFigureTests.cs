using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>The memory and CPU figures of a verdict are its own run's, in a container that served other runs before.</summary>
[Collection(DockerCollection.Name)]
public sealed class RunFigureTests(EngineFixture fixture)
{
    private const long MiB = 1024 * 1024;

    /// <summary>A child holds 100 MiB and is still running when the main process exits; the main burns CPU.</summary>
    private const string Heavy = """
        import os, socket, time
        print(socket.gethostname())
        ready, tell = os.pipe()
        if os.fork() == 0:
            data = b'\x01' * (100 << 20)
            os.write(tell, b'x')
            time.sleep(60)
        os.read(ready, 1)
        started = time.process_time()
        while time.process_time() - started < 0.5:
            pass
        """;

    private const string Hello = "import socket\nprint(socket.gethostname())";

    [Fact]
    public async Task PeakMemory_CountsAChildLeftRunning_WhenTheMainProcessExits()
    {
        await using var session = fixture.Engine.CreateSession();
        var heavy = await session.RunAsync("heavy.py", Heavy);
        Assert.True(heavy.Verdict.Succeeded, heavy.ToString());
        Assert.True(heavy.Verdict.PeakMemoryBytes >= 100 * MiB, heavy.ToString());
    }

    [Fact]
    public async Task ALaterRunInTheSameContainer_ReportsItsOwnMemoryAndCpu()
    {
        await using var session = fixture.Engine.CreateSession();
        var heavy = await session.RunAsync("heavy.py", Heavy);
        Assert.True(heavy.Verdict.Succeeded, heavy.ToString());
        var host = heavy.Stdout.Split('\n')[0];

        // The pool hands containers out in turn; keep running until a hello world lands where the heavy run ran.
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var hello = await session.RunAsync("hello.py", Hello);
            Assert.True(hello.Verdict.Succeeded, hello.ToString());
            if (hello.Stdout.Split('\n')[0] != host)
            {
                continue;
            }

            Assert.InRange(hello.Verdict.PeakMemoryBytes, 1 * MiB, 40 * MiB);
            Assert.True(hello.Verdict.CpuTime < TimeSpan.FromSeconds(0.3), hello.ToString());
            return;
        }

        Assert.Fail($"No later run landed on container {host}.");
    }
}
