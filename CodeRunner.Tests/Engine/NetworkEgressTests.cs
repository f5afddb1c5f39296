using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CodeRunner.Engine;
using CodeRunner.Engine.Networking;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// "The LAN" of these tests, made here and removed afterwards: a Docker network of its own with a container listening on
/// it; a host of the local network, as a network namespace routed from this host through a veth pair (as a school's
/// LAN is reached through the server's routing, not through a Docker bridge); and a port listening on every address of
/// this host, as the IDE's own port does. Nothing else is ever probed.
/// </summary>
public sealed class LanFixture : IAsyncLifetime, IDisposable
{
    public const int LanPort = 8080;
    private const string NamespacePrefix = "crtest-lan-";

    private readonly string _name = $"coderunner-test-lan-{Guid.NewGuid():N}"[..32];

    /// <summary>The python image of these sources, which serves as the machine on the school's network.</summary>
    private static string PythonImage =>
        new CodeRunner.Engine.Runtimes.RuntimeCatalog(Microsoft.Extensions.Options.Options.Create(new EngineOptions())).Find("python")!.Runtime.Image;
    private readonly string _namespace = NamespacePrefix + Environment.ProcessId;
    private TcpListener? _hostListener;
    private CancellationTokenSource? _serving;
    private Process? _lanHostServer;

    /// <summary>The address of the container listening on the Docker network that stands for the LAN.</summary>
    public string LanAddress { get; private set; } = "";

    /// <summary>The address of the LAN host in its network namespace, reached through this host's routing.</summary>
    public string LanHostAddress { get; private set; } = "";

    /// <summary>This host's addresses, each with <see cref="HostPort"/> open: what the IDE's port looks like from a session.</summary>
    public IReadOnlyList<string> HostAddresses { get; private set; } = [];

    public int HostPort { get; private set; }

    public async Task InitializeAsync()
    {
        await ShellAsync($"docker network create {_name}");
        await ShellAsync($"docker run -d --name {_name} --network {_name} --entrypoint python3 {PythonImage} -c " +
                         "\"import socketserver as s\nclass H(s.BaseRequestHandler):\n def handle(self): self.request.sendall(b'lan')\n" +
                         $"s.TCPServer(('0.0.0.0', {LanPort}), H).serve_forever()\"");
        LanAddress = (await ShellAsync($"docker inspect -f '{{{{range .NetworkSettings.Networks}}}}{{{{.IPAddress}}}}{{{{end}}}}' {_name}")).Trim();

        await StartLanHostAsync();

        _hostListener = new TcpListener(IPAddress.Any, 0);
        _hostListener.Start();
        HostPort = ((IPEndPoint)_hostListener.LocalEndpoint).Port;
        _serving = new CancellationTokenSource();
        _ = ServeAsync(_hostListener, _serving.Token);
        HostAddresses = await HostAddressesAsync();

        // The addresses work from here, so a refusal from a session is the firewall, not a wrong address.
        foreach (var address in new[] { LanAddress, LanHostAddress })
        {
            var clock = Stopwatch.StartNew();
            while (await TryReadFromAsync(address, LanPort) != "lan")
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the LAN at {address}:{LanPort} does not answer");
                await Task.Delay(200);
            }
        }

        // Other tests make and remove Docker networks meanwhile: an address whose bridge went is not the host's any more.
        var answering = new List<string>();
        foreach (var address in HostAddresses)
        {
            var clock = Stopwatch.StartNew();
            string? answer;
            while ((answer = await TryReadFromAsync(address, HostPort)) != "host" && (await HostAddressesAsync()).Contains(address))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the host's own {address}:{HostPort} does not answer");
                await Task.Delay(200);
            }

            if (answer == "host")
            {
                answering.Add(address);
            }
        }

        HostAddresses = answering;
    }

    private static async Task<List<string>> HostAddressesAsync() =>
        (await ShellAsync("hostname -I")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).ToList();

    /// <summary>A /24 of 10.250–254.x that nothing on this host routes yet, a veth pair into a new namespace, and a server there.</summary>
    private async Task StartLanHostAsync()
    {
        await RemoveStaleNamespacesAsync();
        var routes = await ShellAsync("ip -4 route");
        var subnet = Enumerable.Range(0, 1280).Select(i => $"10.{250 + i / 256}.{i % 256}").First(s => !routes.Contains(s + ".", StringComparison.Ordinal));
        var veth = $"crlan{Environment.ProcessId % 100000}";
        await ShellAsync($"ip netns add {_namespace} && ip link add {veth}h type veth peer name {veth}n && ip link set {veth}n netns {_namespace}"
                         + $" && ip addr add {subnet}.1/24 dev {veth}h && ip link set {veth}h up"
                         + $" && ip netns exec {_namespace} sh -c 'ip addr add {subnet}.2/24 dev {veth}n && ip link set {veth}n up"
                         + $" && ip link set lo up && ip route add default via {subnet}.1'");
        LanHostAddress = subnet + ".2";
        _lanHostServer = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", _namespace, "python3", "-c",
            "import socketserver as s\nclass H(s.BaseRequestHandler):\n def handle(self): self.request.sendall(b'lan')\n" +
            $"s.TCPServer.allow_reuse_address = True\ns.TCPServer(('0.0.0.0', {LanPort}), H).serve_forever()"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
    }

    /// <summary>Namespaces left by a test process that died: theirs is the only name with that process id.</summary>
    private static async Task RemoveStaleNamespacesAsync()
    {
        foreach (var name in (await ShellAsync("ip netns list")).Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(NamespacePrefix, StringComparison.Ordinal)))
        {
            if (!int.TryParse(name[NamespacePrefix.Length..], out var pid) || !Directory.Exists($"/proc/{pid}"))
            {
                await ShellAsync($"ip netns pids {name} | xargs -r kill -9; ip netns del {name}");
            }
        }
    }

    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                await client.GetStream().WriteAsync("host"u8.ToArray(), cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string?> TryReadFromAsync(string address, int port)
    {
        try
        {
            return await ReadFromAsync(address, port);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return null; // not listening yet, or the address went
        }
    }

    private static async Task<string> ReadFromAsync(string address, int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(5));
        var buffer = new byte[16];
        var read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
    }

    public static async Task<string> ShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{command} failed: {error}");
    }

    public async Task DisposeAsync()
    {
        _serving?.Cancel();
        _hostListener?.Stop();
        await ShellAsync($"docker rm -f {_name} >/dev/null; docker network rm {_name} >/dev/null");
        _lanHostServer?.Kill();
        await ShellAsync($"ip netns pids {_namespace} | xargs -r kill -9; ip netns del {_namespace}"); // the veth pair goes with it
    }

    public void Dispose()
    {
        _serving?.Dispose();
        _hostListener?.Dispose();
        _lanHostServer?.Dispose();
    }
}

/// <summary>Network mode reaches only its own session, whatever the egress setting; without its firewall rules it is refused.</summary>
[Collection(DockerCollection.Name)]
public sealed class NetworkEgressTests(EngineFixture fixture, LanFixture lan) : IClassFixture<LanFixture>
{
    /// <summary>Tries every address (host:port) at once from inside the session; prints a line per address.</summary>
    private static string Probe(IEnumerable<string> targets) => $$"""
        import socket, threading
        lines = []
        def probe(target):
            host, port = target.rsplit(':', 1)
            try:
                c = socket.create_connection((host, int(port)), timeout=3)
                lines.append(f'{target} reached {c.recv(16).decode()}')
            except OSError as e:
                lines.append(f'{target} refused {type(e).__name__}')
        threads = [threading.Thread(target=probe, args=(t,)) for t in [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print('\n'.join(sorted(lines)))
        """;

    /// <summary>The session bridge's address on the host, from inside: the first address of the container's subnet.</summary>
    private const string BridgeAddress = """
        import fcntl, ipaddress, socket, struct
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        ip = socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x8915, struct.pack('256s', b'eth0'))[20:24])
        mask = socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x891b, struct.pack('256s', b'eth0'))[20:24])
        print(next(ipaddress.ip_network(f'{ip}/{mask}', strict=False).hosts()))
        """;

    private async Task<string> ProbeFromNetworkModeAsync(IEngineSession session)
    {
        var bridge = (await session.RunAsync("bridge.py", BridgeAddress, RunMode.Network)).Stdout.Trim();
        var targets = lan.HostAddresses.Append(bridge).Select(a => $"{a}:{lan.HostPort}")
            .Prepend($"{lan.LanHostAddress}:{LanFixture.LanPort}").Prepend($"{lan.LanAddress}:{LanFixture.LanPort}");
        var result = await session.RunAsync("probe.py", Probe(targets), RunMode.Network);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        return result.Stdout;
    }

    [Fact]
    public async Task NoEgress_TheLanTheHostAndItsWebPort_AreAllOutOfReach()
    {
        await using var session = fixture.Engine.CreateSession();

        var probes = await ProbeFromNetworkModeAsync(session);

        Assert.DoesNotContain("reached", probes);
        Assert.Equal(lan.HostAddresses.Count + 3, probes.Split('\n').Count(l => l.Contains(" refused ")));
        Assert.Equal(("true", HostFirewall.NoEgressPrefix), await DescribeAsync(session.NetworkName!));
    }

    [Fact]
    public async Task InternetEgress_StillNeverReachesTheLanNorTheHost()
    {
        var settings = EngineFixture.Settings(poolSize: 0);
        settings["Engine:NetworkEgress"] = nameof(NetworkEgress.Internet);
        settings["Engine:NetworkKits"] = "0";
        using var host = await EngineFixture.StartHostAsync(settings);
        await using (var session = host.Services.GetRequiredService<IExecutionEngine>().CreateSession())
        {
            var probes = await ProbeFromNetworkModeAsync(session);

            Assert.DoesNotContain("reached", probes);
            Assert.Equal(lan.HostAddresses.Count + 3, probes.Split('\n').Count(l => l.Contains(" refused ")));
            Assert.Equal(("false", HostFirewall.InternetPrefix), await DescribeAsync(session.NetworkName!)); // routed: the Internet is reachable
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task WithoutItsFirewallRules_NetworkModeIsRefusedWithWhatToDo_AndFastModeStillRuns()
    {
        var settings = EngineFixture.Settings(poolSize: 1);
        settings["Engine:NetworkKits"] = "0";
        using var host = await EngineFixture.StartHostAsync(settings,
            services => services.AddSingleton(new HostFirewall(toolDirectory: "/nonexistent-iptables"))); // a host without iptables
        await using (var session = host.Services.GetRequiredService<IExecutionEngine>().CreateSession())
        {
            var refused = await Assert.ThrowsAsync<NetworkModeUnavailableException>(
                () => session.StartRunAsync(RunExtensions.Request("net.py", "print(1)", RunMode.Network)));

            Assert.StartsWith("Network mode is off on this server", refused.Message);
            Assert.Contains("must run CodeRunner as root on a host with iptables", refused.Message);
            Assert.Null(session.NetworkName);
            Assert.True((await session.RunAsync("fast.py", "print(1)")).Verdict.Succeeded);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task RulesRemovedFromOutside_AreWrittenAgainByTheNextCheck()
    {
        var settings = EngineFixture.Settings(poolSize: 0);
        settings["Engine:NetworkKits"] = "0";
        settings["Engine:FirewallCheckInterval"] = "00:00:01";
        using var host = await EngineFixture.StartHostAsync(settings);
        Assert.Contains("-A PREROUTING -j CODERUNNER-PREROUTING", await LanFixture.ShellAsync("iptables-save -t mangle"));

        // What a firewall restart or an administrator's flush does.
        await LanFixture.ShellAsync("iptables -t mangle -D PREROUTING -j CODERUNNER-PREROUTING; iptables -t mangle -F CODERUNNER-FORWARD");

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var saved = await LanFixture.ShellAsync("iptables-save -t mangle");
            if (saved.Contains("-A PREROUTING -j CODERUNNER-PREROUTING") && saved.Contains("-A CODERUNNER-FORWARD -o cr-+ -j DROP"))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the rules were not written again:\n" + saved);
            await Task.Delay(200);
        }

        await host.StopAsync();
    }

    /// <summary>Whether the network is internal (no route out), and the prefix of its bridge, which the firewall rules go by.</summary>
    private static async Task<(string Internal, string BridgePrefix)> DescribeAsync(string network)
    {
        var parts = (await LanFixture.ShellAsync(
            $"docker network inspect -f '{{{{.Internal}}}} {{{{index .Options \"com.docker.network.bridge.name\"}}}}' {network}")).Split(' ', StringSplitOptions.TrimEntries);
        return (parts[0], parts[1][..3]);
    }
}
