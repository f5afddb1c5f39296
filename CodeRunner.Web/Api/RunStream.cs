using System.Net.WebSockets;
using System.Text.Json;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Web.Api;

/// <summary>
/// <c>/api/v1/runs/stream</c>, a WebSocket like Piston's <c>/connect</c>: the first message is the run request; the
/// server then sends the run's events as JSON, and the client may send stdin, end-of-input and stop while it runs.
/// docs/api.md describes the messages.
/// </summary>
public sealed class RunStream(IExecutionEngine engine, ILogger<RunStream> logger)
{
    /// <summary>Most bytes of one message from the client (the run request is bounded by Api:MaxRequestBytes instead).</summary>
    private const int MaxControlMessageBytes = 1024 * 1024;

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task HandleAsync(HttpContext context, long maxRequestBytes)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a WebSocket request",
                detail: "Open /api/v1/runs/stream as a WebSocket (ws:// or wss://); POST /api/v1/runs runs a program over plain HTTP.").ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var sender = new Sender(socket);
        var cancellationToken = context.RequestAborted;
        try
        {
            await RunAsync(socket, sender, maxRequestBytes, cancellationToken);
            if (socket.State == WebSocketState.CloseSent)
            {
                // Refused before the run: wait for the client's close, so that it reads our error rather than a reset.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(CloseHandshakeTimeout);
                while (await ReceiveAsync(socket, MaxControlMessageBytes, wait.Token) is not null)
                {
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            Log.ApiStreamClosed(logger, ex.Message); // the client went away
        }
    }

    private async Task RunAsync(WebSocket socket, Sender sender, long maxRequestBytes, CancellationToken cancellationToken)
    {
        var first = await ReceiveAsync(socket, maxRequestBytes, cancellationToken);
        if (first is null)
        {
            await sender.CloseAsync(WebSocketCloseStatus.MessageTooBig, "the run request is missing or too large", cancellationToken);
            return;
        }

        ApiRunRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ApiRunRequest>(first, JsonBody.Strict);
        }
        catch (JsonException ex)
        {
            await sender.ErrorAsync($"The run request is not valid JSON at {ex.Path ?? "$"}: {ex.Message}", cancellationToken);
            return;
        }

        var errors = new Dictionary<string, string[]>();
        var program = request is null ? null : ApiProgram.From(request, engine.Languages, errors, stdinOpen: true);
        if (program is null || program.Cases is not null)
        {
            var problem = program is not null ? "testCases: the stream runs one program; POST /api/v1/runs runs test cases."
                : errors.Count == 0 ? "The first message must be a run request (a JSON object)."
                : string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            await sender.ErrorAsync(problem, cancellationToken);
            return;
        }

        await using var session = engine.CreateSession();
        IRunHandle handle;
        try
        {
            handle = await session.StartRunAsync(program.Run, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidRunRequestException or RuntimeUnavailableException or LimitAboveCeilingException)
        {
            await sender.ErrorAsync(ex.Message, cancellationToken);
            return;
        }

        await sender.SendAsync(new { type = "started", id = handle.Id, language = handle.Language }, cancellationToken);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var controls = ControlAsync(socket, handle, sender, stopReading.Token);
        try
        {
            await foreach (var e in handle.Events.ReadAllAsync(cancellationToken))
            {
                object? message = e.Stream switch
                {
                    ConsoleStream.Stdout => new { type = "data", stream = "stdout", data = e.Text },
                    ConsoleStream.Stderr => new { type = "data", stream = "stderr", data = e.Text },
                    ConsoleStream.Status => new { type = "stage", stage = e.Text.Length == 0 ? "running" : "waiting", text = e.Text },
                    ConsoleStream.System => new { type = "message", text = e.Text },
                    _ => null, // images are for the IDE's console
                };
                if (message is not null)
                {
                    await sender.SendAsync(message, cancellationToken);
                }
            }

            var result = ApiRunner.Finished(handle.Id, handle.Language, await handle.Completion);
            await sender.SendAsync(new
            {
                type = "exit",
                verdict = result.Verdict,
                message = result.Message,
                exitCode = result.ExitCode,
                signal = result.Signal,
                timeSeconds = result.TimeSeconds,
                cpuTimeSeconds = result.CpuTimeSeconds,
                memoryBytes = result.MemoryBytes,
            }, cancellationToken);
            await sender.CloseAsync(WebSocketCloseStatus.NormalClosure, "run finished", cancellationToken);
        }
        finally
        {
            // After our close the client answers with its own, which the control loop reads; cancelling a receive
            // aborts the socket, and the client would lose the close (or the exit) to a reset.
            await Task.WhenAny(controls, Task.Delay(CloseHandshakeTimeout, CancellationToken.None));
            await stopReading.CancelAsync();
            await handle.StopAsync(CancellationToken.None); // a no-op once the run has ended; the client may have gone
            await controls;
        }
    }

    /// <summary>Reads the client's messages while the program runs: stdin, end-of-input and stop.</summary>
    private static async Task ControlAsync(WebSocket socket, IRunHandle handle, Sender sender, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await ReceiveAsync(socket, MaxControlMessageBytes, cancellationToken);
                if (message is null)
                {
                    await handle.StopAsync(CancellationToken.None); // the client closed: nobody reads the output any more
                    return;
                }

                Control? control;
                try
                {
                    control = JsonSerializer.Deserialize<Control>(message, Json);
                }
                catch (JsonException ex)
                {
                    await sender.SendAsync(new { type = "error", message = $"Not a JSON message: {ex.Message}" }, cancellationToken);
                    continue;
                }

                switch (control?.Type)
                {
                    case "stdin" when control.Data is { } data:
                        await handle.WriteStdinAsync(data, cancellationToken);
                        if (control.Eof)
                        {
                            await handle.CloseStdinAsync(cancellationToken);
                        }

                        break;
                    case "stdin" or "eof":
                        await handle.CloseStdinAsync(cancellationToken);
                        break;
                    case "stop":
                        await handle.StopAsync(cancellationToken);
                        break;
                    default:
                        await sender.SendAsync(new { type = "error", message = $"Unknown message type '{control?.Type}': send stdin, eof or stop." }, cancellationToken);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InputNotSentException)
        {
            // The run ended or the client went away; the loop above reports what matters.
        }
    }

    /// <summary>A whole text message, or null when the client closed or the message passed <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReceiveAsync(WebSocket socket, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(chunk, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, received.Count);
            if (buffer.Length > limit)
            {
                return null;
            }

            if (received.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }

    private sealed record Control(string? Type, string? Data, bool Eof);

    /// <summary>Sends one message at a time: the output loop and the control loop both answer.</summary>
    private sealed class Sender(WebSocket socket) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task SendAsync(object message, CancellationToken cancellationToken)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();

        public async Task ErrorAsync(string message, CancellationToken cancellationToken)
        {
            await SendAsync(new { type = "error", message }, cancellationToken);
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid run request", cancellationToken);
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(status, reason, cancellationToken);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
