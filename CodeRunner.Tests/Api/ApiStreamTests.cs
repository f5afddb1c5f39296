using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CodeRunner.Tests.Api;

/// <summary>The WebSocket <c>/api/v1/runs/stream</c>: output as it comes, stdin answered mid-run, end-of-input and stop.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiStreamTests(ApiFixture fixture)
{
    private async Task<ClientWebSocket> ConnectAsync()
    {
        var (http, token) = await fixture.ClientAsync();
        http.Dispose();
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token.Secret}");
        var address = new UriBuilder(fixture.Host.Address) { Scheme = "ws", Path = "/api/v1/runs/stream" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(address, timeout.Token);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message of the server, or null once it closed.</summary>
    private static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(chunk, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    /// <summary>Reads messages until one of <paramref name="type"/> for which <paramref name="match"/> holds; collects stdout meanwhile.</summary>
    private static async Task<JsonElement> UntilAsync(ClientWebSocket socket, string type, StringBuilder stdout, Func<JsonElement, bool>? match = null)
    {
        while (await ReceiveAsync(socket) is { } message)
        {
            var kind = message.GetProperty("type").GetString();
            if (kind == "data" && message.GetProperty("stream").GetString() == "stdout")
            {
                stdout.Append(message.GetProperty("data").GetString());
            }

            if (kind == type && (match?.Invoke(message) ?? true))
            {
                return message;
            }

            Assert.NotEqual("error", kind);
        }

        throw new Xunit.Sdk.XunitException($"The server closed before a '{type}' message; stdout so far: {stdout}");
    }

    [Fact]
    public async Task Prompt_AnsweredMidRun_ThenEndOfInput_RunsToTheEnd()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new
        {
            language = "python",
            files = new[] { new { path = "main.py", content = "name = input('name? ')\nprint('hello', name, flush=True)\nimport sys\nprint('rest', repr(sys.stdin.read()))" } },
        });
        var stdout = new StringBuilder();
        await UntilAsync(socket, "started", stdout);
        await UntilAsync(socket, "data", stdout, _ => stdout.ToString().Contains("name? "));

        await SendAsync(socket, new { type = "stdin", data = "Ada\n" });
        await UntilAsync(socket, "data", stdout, _ => stdout.ToString().Contains("hello Ada"));
        await SendAsync(socket, new { type = "eof" });

        var exit = await UntilAsync(socket, "exit", stdout);
        Assert.Equal("succeeded", exit.GetProperty("verdict").GetString());
        Assert.Contains("rest ''", stdout.ToString());
        Assert.Null(await ReceiveAsync(socket)); // the server closes after the exit
    }

    [Fact]
    public async Task Stop_EndsAProgramThatWouldRunForever()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new
        {
            language = "python",
            files = new[] { new { path = "loop.py", content = "import time\nprint('up', flush=True)\nwhile True:\n    time.sleep(0.1)" } },
        });
        var stdout = new StringBuilder();
        await UntilAsync(socket, "data", stdout, _ => stdout.ToString().Contains("up"));

        await SendAsync(socket, new { type = "stop" });
        var exit = await UntilAsync(socket, "exit", stdout);
        Assert.Equal("stopped", exit.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task AnInvalidFirstMessage_GetsAnErrorNamingTheField_AndTheSocketCloses()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new { language = "cobol", files = new[] { new { path = "a.cob", content = "" } } });
        var error = await ReceiveAsync(socket);
        Assert.Equal("error", error?.GetProperty("type").GetString());
        Assert.Contains("language", error?.GetProperty("message").GetString());
        Assert.Null(await ReceiveAsync(socket));
    }
}
