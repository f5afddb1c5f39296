using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class NetworkModeTests(EngineFixture fixture)
{
    private static string EchoServer(int port, string host = "127.0.0.1", int connections = 1) => $$"""
        import socket, fcntl, struct
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        ip = socket.inet_ntoa(fcntl.ioctl(probe.fileno(), 0x8915, struct.pack('256s', b'eth0'))[20:24])
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(('{{host}}', {{port}}))
        server.listen()
        print('listening on', ip, flush=True)
        for _ in range({{connections}}):
            conn, _ = server.accept()
            conn.sendall(b'echo:' + conn.recv(100))
            conn.close()
        """;

    private static string PythonClient(string host, int port) => $$"""
        import socket
        try:
            c = socket.create_connection(('{{host}}', {{port}}), timeout=2)
            c.sendall(b'ping')
            print(c.recv(100).decode())
        except OSError as e:
            print('unreachable', type(e).__name__)
        """;

    [Fact]
    public async Task ServerAndClient_OfOneSession_TalkOverLocalhost_AcrossLanguages()
    {
        await using var session = fixture.Engine.CreateSession();
        var server = await session.StartRunAsync(RunExtensions.Request("server.py", EchoServer(5000), RunMode.Network));
        await server.WaitForStdoutAsync("listening");

        const string nodeClient = """
            const net = require('net');
            const c = net.connect(5000, '127.0.0.1', () => c.write('ping'));
            c.on('data', d => { console.log(d.toString()); c.end(); });
            """;
        var client = await session.RunAsync("client.js", nodeClient, RunMode.Network);
        Assert.True(client.Verdict.Succeeded, client.ToString());
        Assert.Equal("echo:ping\n", client.Stdout);
        Assert.True((await server.CollectAsync()).Verdict.Succeeded);
    }

    [Fact]
    public async Task TwoSessions_CanListenOnTheSamePort()
    {
        await using var first = fixture.Engine.CreateSession();
        await using var second = fixture.Engine.CreateSession();
        var a = await first.StartRunAsync(RunExtensions.Request("server.py", EchoServer(5001), RunMode.Network));
        var b = await second.StartRunAsync(RunExtensions.Request("server.py", EchoServer(5001), RunMode.Network));
        await a.WaitForStdoutAsync("listening");
        await b.WaitForStdoutAsync("listening");

        Assert.Equal("echo:ping\n", (await first.RunAsync("client.py", PythonClient("127.0.0.1", 5001), RunMode.Network)).Stdout);
        Assert.Equal("echo:ping\n", (await second.RunAsync("client.py", PythonClient("127.0.0.1", 5001), RunMode.Network)).Stdout);
    }

    [Fact]
    public async Task Session_CannotReachAnotherSessionsServer()
    {
        await using var owner = fixture.Engine.CreateSession();
        await using var intruder = fixture.Engine.CreateSession();
        var server = await owner.StartRunAsync(RunExtensions.Request("server.py", EchoServer(5002, "0.0.0.0", connections: 2), RunMode.Network));
        var announced = await server.WaitForStdoutAsync("\n");
        var ip = announced.Split(' ', StringSplitOptions.TrimEntries)[2];

        // The address works from its own session, so the refusal below is isolation, not a wrong address.
        var own = await owner.RunAsync("client.py", PythonClient(ip, 5002), RunMode.Network);
        Assert.Equal("echo:ping\n", own.Stdout);

        var other = await intruder.RunAsync("client.py", PythonClient(ip, 5002), RunMode.Network);
        Assert.StartsWith("unreachable", other.Stdout);
        await server.StopAsync();
    }

    /// <summary>
    /// Docker 20.10 briefly forwards traffic between bridges each time it creates a network (it deletes and re-inserts
    /// its isolation jump), and in a class networks are made all the time: the engine's own firewall rule must hold.
    /// </summary>
    [Fact]
    public async Task Session_CannotReachAnotherSessionsServer_WhileDockerCreatesNetworks()
    {
        await using var owner = fixture.Engine.CreateSession();
        await using var intruder = fixture.Engine.CreateSession();
        var server = await owner.StartRunAsync(RunExtensions.Request("server.py", EchoServer(5003, "0.0.0.0", connections: 100_000), RunMode.Network));
        var ip = (await server.WaitForStdoutAsync("\n")).Split(' ', StringSplitOptions.TrimEntries)[2];
        Assert.Equal("echo:ping\n", (await owner.RunAsync("client.py", PythonClient(ip, 5003), RunMode.Network)).Stdout);
        var warm = await intruder.RunAsync("warm.py", "print('ready')", RunMode.Network); // the intruder's own network exists
        Assert.True(warm.Verdict.Succeeded, warm.ToString());

        using var churning = new CancellationTokenSource();
        var churn = ChurnNetworksAsync(churning.Token);
        var probe = await intruder.RunAsync("probe.py", $$"""
            import socket, time
            reached = tries = 0
            end = time.time() + 6
            while time.time() < end:
                tries += 1
                try:
                    c = socket.create_connection(('{{ip}}', 5003), timeout=0.05)
                    c.sendall(b'ping')
                    reached += bool(c.recv(100))
                    c.close()
                except OSError:
                    pass
                time.sleep(0.005)
            print(reached, tries)
            """, RunMode.Network);
        await churning.CancelAsync();
        var networksMade = await churn;
        await server.StopAsync();

        Assert.True(probe.Verdict.Succeeded, probe.ToString());
        var counts = probe.Stdout.Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        Assert.True(networksMade >= 5, $"only {networksMade} networks were made during the probe");
        Assert.True(counts[1] >= 50, $"only {counts[1]} connection attempts were made");
        Assert.True(counts[0] == 0, $"the other session's server answered {counts[0]} of {counts[1]} attempts while {networksMade} networks were made");
    }

    private async Task<int> ChurnNetworksAsync(CancellationToken cancellationToken)
    {
        var labels = new EngineLabels().For(Labels.RoleNetwork, kit: "churn");
        var made = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Not cancelled half-way: each network made is removed.
            var id = await fixture.Networks.CreateAsync($"coderunner-churn-{Guid.NewGuid():N}", labels, "198.19.254.0/28", "cr-churntest",
                isInternal: false, CancellationToken.None);
            made++;
            await fixture.Networks.RemoveAsync(id, CancellationToken.None);
        }

        return made;
    }

    [Fact]
    public async Task DisposingASession_RemovesItsContainersAndNetwork()
    {
        var session = (EngineSession)fixture.Engine.CreateSession();
        var result = await session.RunAsync("hello.py", "print('hi')", RunMode.Network);
        Assert.True(result.Verdict.Succeeded, result.ToString());

        var containers = session.NetworkContainerIds;
        var network = session.NetworkName;
        Assert.StartsWith("coderunner-net-", network);
        Assert.True(containers.Count >= 2, "a holder and a python container");
        Assert.Contains(network, await ManagedNames());

        await session.DisposeAsync();
        var left = await ManagedNames();
        Assert.DoesNotContain(network, left);
        Assert.Empty((await fixture.Containers.ListManagedAsync()).Select(c => c.Id).Intersect(containers));
    }

    private async Task<List<string>> ManagedNames() =>
        (await fixture.Containers.ListManagedAsync()).Select(c => c.Name)
        .Concat((await fixture.Networks.ListManagedAsync()).Select(n => n.Name)).ToList();
}
