using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>Faults from outside the engine: after each, the next run succeeds and nothing is left behind.</summary>
[Collection(DockerCollection.Name)]
public sealed class FaultTests(EngineFixture fixture)
{
    [Fact]
    public async Task APoolContainerKilledFromOutside_IsNoticedAndReplaced()
    {
        var pool = fixture.Internal.Pools.Values.Single(p => p.Runtime.Name == "python");
        await WaitUntilAsync(() => pool.IdleCount >= EngineFixture.PoolSize, "the python pool to be warm");
        var victim = pool.ContainerIds.First();

        await DockerDaemon.KillContainerAsync(victim);

        await WaitUntilAsync(() => !pool.ContainerIds.Contains(victim) && pool.IdleCount >= EngineFixture.PoolSize,
            "the killed container to be replaced");
        await WaitUntilAsync(async () => !await DockerDaemon.ContainerExistsAsync(victim), "the killed container to be removed");
        await using var session = fixture.Engine.CreateSession();
        Assert.True((await session.RunAsync("ok.py", "print('ok')")).Verdict.Succeeded);
    }

    [Fact]
    public async Task DockerRestartedMidRun_EndsTheRunClearly_ThenPoolsAndNetworkModeComeBack()
    {
        await using var session = fixture.Engine.CreateSession();
        Assert.True((await session.RunAsync("before.py", "print(1)", RunMode.Network)).Verdict.Succeeded);
        var run = await session.StartRunAsync(RunExtensions.Request("long.py", "import time\nprint('running', flush=True)\ntime.sleep(60)"));
        await run.WaitForStdoutAsync("running");

        await DockerDaemon.RestartAsync();

        var verdict = await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(verdict.Error);
        Assert.Contains("lost", verdict.Error);

        var pools = fixture.Internal.Pools.Values;
        await WaitUntilAsync(() => fixture.Engine.Problem is null && pools.All(p => p.IdleCount >= EngineFixture.PoolSize),
            "the pools to be rebuilt", TimeSpan.FromSeconds(90));
        var fast = await session.RunAsync("after.py", "print('fast again')");
        Assert.True(fast.Verdict.Succeeded, fast.ToString());
        Assert.Equal("fast again\n", fast.Stdout);
        var network = await session.RunAsync("after.py", "print('network again')", RunMode.Network);
        Assert.True(network.Verdict.Succeeded, network.ToString());
        Assert.Equal("network again\n", network.Stdout);

        // What died with the old daemon is swept: no stopped container carrying the labels is left.
        await WaitUntilAsync(async () => await DockerDaemon.ShellAsync(
            "test -z \"$(docker ps -aq --filter label=coderunner.managed=true --filter status=exited)\"") == 0,
            "stopped containers to be swept", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// What a Docker restart does to a session's network mode when the engine's health check misses it: the holder and
    /// the session's warm containers are gone, while the session still holds them.
    /// </summary>
    [Fact]
    public async Task SessionContainersKilledFromOutside_NextNetworkRunMakesANewNetwork()
    {
        await using var session = (EngineSession)fixture.Engine.CreateSession();
        var first = await session.RunAsync("first.py", "print(1)", RunMode.Network);
        Assert.True(first.Verdict.Succeeded, first.ToString());
        var lost = session.NetworkName;
        var containers = session.NetworkContainerIds;

        foreach (var id in containers)
        {
            await DockerDaemon.KillContainerAsync(id);
        }

        await WaitUntilAsync(async () => await DockerDaemon.ShellAsync(
            $"test -z \"$(docker ps -q --no-trunc {string.Join(' ', containers.Select(c => $"--filter id={c}"))})\"") == 0,
            "the session's containers to stop");
        var again = await session.RunAsync("again.py", "print('network again')", RunMode.Network);

        Assert.True(again.Verdict.Succeeded, again.ToString());
        Assert.Equal("network again\n", again.Stdout);
        Assert.NotEqual(lost, session.NetworkName);
    }

    [Fact]
    public async Task NetworkMode_CannotReachServicesOnTheHost_EvenOnEveryInterface()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using (var control = new TcpClient())
        {
            await control.ConnectAsync(IPAddress.Loopback, port); // the service is there
        }

        var code = $$"""
            import socket, struct
            gateway = next(l.split()[2] for l in open('/proc/net/route').readlines()[1:] if l.split()[1] == '00000000')
            host = socket.inet_ntoa(struct.pack('<L', int(gateway, 16)))
            for port in ({{port}}, 2375, 2376):
                try:
                    socket.create_connection((host, port), timeout=2).close()
                    print(port, 'reachable')
                except OSError:
                    print(port, 'blocked')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("probe.py", code, RunMode.Network);
        Assert.Equal($"{port} blocked\n2375 blocked\n2376 blocked\n", result.Stdout);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"Timed out waiting for {what}.");
            await Task.Delay(250);
        }
    }
}
