using CodeRunner.Engine.Runs;

namespace CodeRunner.Web.Runs;

/// <summary>
/// The console of one run target (a file path): its entries, its current run and that run's verdict. Output is read
/// from the run in batches, at most one every <see cref="BatchInterval"/>, and each batch raises <see cref="Changed"/>
/// once, so that the page renders once per batch however fast the program prints. The throttle is on the leading
/// edge: a run's first output, and output after a quiet <see cref="BatchInterval"/>, is shown at once.
/// </summary>
public sealed class RunConsole(string path, int capacity = ConsoleBuffer.DefaultCapacity, TimeProvider? time = null) : IDisposable
{
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(75);

    private readonly object _gate = new();
    private readonly ConsoleBuffer _buffer = new(capacity);
    private ConsoleLine[]? _snapshot;
    private CancellationTokenSource? _pump;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Path { get; } = path;

    public IRunHandle? Run { get; private set; }

    public RunMode Mode { get; private set; }

    public RunVerdict? Verdict { get; private set; }

    /// <summary>Why the last run could not start, when it could not.</summary>
    public string? StartError { get; private set; }

    public bool IsRunning => Run is not null && Verdict is null;

    /// <summary>What the run is waiting for (a free container, one of the session's own runs to end), or null.</summary>
    public string? Status { get; private set; }

    /// <summary>The entries have changed (at most once per batch), or the run started or ended.</summary>
    public event Action? Changed;

    /// <summary>The run started or ended.</summary>
    public event Action<RunConsole>? RunStateChanged;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>The entries now, oldest first; the same array until the next change.</summary>
    public ConsoleLine[] Lines
    {
        get
        {
            lock (_gate)
            {
                return _snapshot ??= _buffer.Snapshot();
            }
        }
    }

    /// <summary>Starts showing a new run: clears the console, writes a header and reads the run's output.</summary>
    public void Attach(IRunHandle run, RunMode mode, string header)
    {
        Detach();
        Reset(header);
        Run = run;
        Mode = mode;
        var pump = _pump = new CancellationTokenSource();
        _ = PumpAsync(run, pump.Token);
        RunStateChanged?.Invoke(this);
    }

    /// <summary>Shows why a run could not start.</summary>
    public void Fail(string header, string message)
    {
        Detach();
        Reset(header);
        Run = null;
        StartError = message;
        Write(b => b.AppendLine(ConsoleKind.Error, message));
        RunStateChanged?.Invoke(this);
    }

    public void Clear() => Write(b => b.Clear());

    /// <summary>Sends a line to the program's stdin and echoes it after the prompt.</summary>
    public async Task SendLineAsync(string text)
    {
        if (Run is { } run && IsRunning)
        {
            Write(b => b.Append(ConsoleKind.Stdin, text + "\n"));
            await TryAsync("send the input", token => run.WriteStdinAsync(text + "\n", token));
        }
    }

    /// <summary>Closes the program's stdin (end-of-input, like Ctrl+D in a terminal).</summary>
    public async Task SendEndOfInputAsync()
    {
        if (Run is { } run && IsRunning)
        {
            Write(b => b.AppendLine(ConsoleKind.System, "^D (end of input)"));
            await TryAsync("close the input", run.CloseStdinAsync);
        }
    }

    public async Task StopAsync()
    {
        if (Run is { } run && IsRunning)
        {
            await TryAsync("stop the program", run.StopAsync);
        }
    }

    /// <summary>Shows a failure to reach the program in the console instead of letting it end the circuit.</summary>
    private async Task TryAsync(string what, Func<CancellationToken, ValueTask> action)
    {
        try
        {
            await action(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Write(b => b.AppendLine(ConsoleKind.Error, $"Could not {what}: {ex.Message}"));
        }
    }

    private void Reset(string header) => Write(b =>
    {
        Verdict = null;
        StartError = null;
        Status = null;
        b.Clear();
        b.AppendLine(ConsoleKind.System, header);
    });

    private async Task PumpAsync(IRunHandle run, CancellationToken cancellationToken)
    {
        var reader = run.Events;
        var batch = new List<ConsoleEvent>();
        var outputShown = false;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < 50_000 && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                Write(b =>
                {
                    foreach (var item in batch)
                    {
                        if (item.Stream == ConsoleStream.Status)
                        {
                            Status = item.Text.Length == 0 ? null : item.Text; // a state, not a line: the latest wins
                        }
                        else if (item.Stream == ConsoleStream.Image)
                        {
                            b.AppendImage(item.Data);
                        }
                        else if (item.Stream == ConsoleStream.System)
                        {
                            b.AppendLine(ConsoleKind.System, item.Text.TrimEnd('\n')); // a message, not part of the output
                        }
                        else
                        {
                            b.Append(Kind(item.Stream), item.Text);
                        }
                    }
                }, cancellationToken);
                var hadOutput = batch.Exists(item => item.Stream is not (ConsoleStream.Status or ConsoleStream.System));
                batch.Clear();
                if (outputShown || hadOutput)
                {
                    // Until the program's first output, a status or a message ("compiling…") must not hold that output
                    // back: the pause between batches starts with it.
                    outputShown = true;
                    await Task.Delay(BatchInterval, _time, cancellationToken);
                }
            }

            var verdict = await run.Completion.WaitAsync(cancellationToken);
            if (Write(_ => (Verdict, Status) = (verdict, null), cancellationToken))
            {
                RunStateChanged?.Invoke(this);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A new run took this console over.
        }
    }

    /// <summary>
    /// Changes the buffer, unless <paramref name="pump"/> says that a new run took the console over: checked under the
    /// same lock as the new run's reset, so that nothing of the old run lands under the new header.
    /// </summary>
    private bool Write(Action<ConsoleBuffer> change, CancellationToken pump = default)
    {
        lock (_gate)
        {
            if (pump.IsCancellationRequested)
            {
                return false;
            }

            change(_buffer);
            _snapshot = null;
        }

        Changed?.Invoke();
        return true;
    }

    private static ConsoleKind Kind(ConsoleStream stream) => stream == ConsoleStream.Stderr ? ConsoleKind.Stderr : ConsoleKind.Stdout;

    private void Detach()
    {
        if (Interlocked.Exchange(ref _pump, null) is { } pump)
        {
            pump.Cancel();
            pump.Dispose();
        }

        if (Run is { } old && IsRunning)
        {
            _ = old.StopAsync().AsTask();
        }
    }

    public void Dispose() => Detach();
}
