using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>
/// A Unix socket in front of the real Docker socket, which a test can take away and give back: to the engine behind it,
/// that is Docker stopping (connections cut, then "no such file") and starting again, without stopping the machine's
/// Docker under every other test.
/// </summary>
public sealed class DockerSocketProxy : IAsyncDisposable
{
    private const string DockerSocket = "/var/run/docker.sock";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"coderunner-docker-{Guid.NewGuid():N}.sock");
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private Socket? _listener;
    private CancellationTokenSource? _stop;

    /// <summary>The endpoint to give the engine, such as <c>unix:///tmp/coderunner-docker-….sock</c>.</summary>
    public string Endpoint => $"unix://{_path}";

    public static DockerSocketProxy Start()
    {
        var proxy = new DockerSocketProxy();
        proxy.Open();
        return proxy;
    }

    /// <summary>Listens again: Docker is back.</summary>
    public void Open()
    {
        if (!File.Exists(DockerSocket))
        {
            throw new InvalidOperationException($"{DockerSocket} is missing: this test needs the machine's Docker engine (scripts/test starts it).");
        }

        File.Delete(_path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_path));
        listener.Listen(64);
        _listener = listener;
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(listener, _stop.Token);
    }

    /// <summary>Cuts every connection and removes the socket: Docker is gone.</summary>
    public void Close()
    {
        _stop?.Cancel();
        _listener?.Dispose();
        _listener = null;
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        _open.Clear();
        File.Delete(_path);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var docker = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _open[client] = 0;
            _open[docker] = 0;
            try
            {
                await docker.ConnectAsync(new UnixDomainSocketEndPoint(DockerSocket), stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                docker.Dispose();
                continue;
            }

            _ = PumpAsync(client, docker);
            _ = PumpAsync(docker, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }

            to.Shutdown(SocketShutdown.Send); // a half-close, as an attached stream's stdin end is
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Cut by Close, or by either end.
        }
    }
}
