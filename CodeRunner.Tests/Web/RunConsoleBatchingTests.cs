using CodeRunner.Engine.Runs;
using CodeRunner.Web.Runs;
using Microsoft.Extensions.Time.Testing;

namespace CodeRunner.Tests.Web;

/// <summary>
/// How a console's output reaches the page: the first output of a run at once, later output at most once per
/// <see cref="RunConsole.BatchInterval"/>. The console's clock is a fake one that moves only when the test says so.
/// </summary>
public sealed class RunConsoleBatchingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeRunHandle _run = new("main.py");
    private readonly RunConsole _console;
    private int _changes;

    public RunConsoleBatchingTests()
    {
        _console = new RunConsole("main.py", time: _time);
        _console.Attach(_run, RunMode.Fast, "▶ main.py");
        _console.Changed += () => Interlocked.Increment(ref _changes);
    }

    private bool Shows(string text) => _console.Lines.Any(l => l.Text == text);

    /// <summary>Waits in real time, the console's clock standing still, for what the pump does on its own.</summary>
    private static async Task<bool> WithinAsync(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Moves the console's clock a batch on until <paramref name="condition"/> holds (the pump may not wait yet).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            _time.Advance(RunConsole.BatchInterval);
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    [Theory]
    [InlineData(ConsoleStream.Status, "waiting for a free python container (1 ahead)")]
    [InlineData(ConsoleStream.System, "compiling…")]
    public async Task FirstOutput_RightAfterAStatusOrAMessage_ShownWithoutWaitingForABatch(ConsoleStream stream, string text)
    {
        _run.Emit(stream, stream == ConsoleStream.System ? text + "\n" : text);
        Assert.True(await WithinAsync(() => stream == ConsoleStream.Status ? _console.Status is not null : Shows(text), Patience));

        if (stream == ConsoleStream.Status)
        {
            _run.Emit(ConsoleStream.Status, ""); // the wait is over
        }

        _run.Emit(ConsoleStream.Stdout, "hello\n");

        Assert.True(await WithinAsync(() => Shows("hello"), Patience), "the first output waited for the batch interval");
    }

    [Fact]
    public async Task LaterOutput_WithinTheInterval_WaitsForTheNextBatch()
    {
        _run.Emit(ConsoleStream.Stdout, "first\n");
        Assert.True(await WithinAsync(() => Shows("first"), Patience));
        var changes = Volatile.Read(ref _changes);

        _run.Emit(ConsoleStream.Stdout, "second\n");
        _run.Emit(ConsoleStream.Stdout, "third\n");

        Assert.False(await WithinAsync(() => Shows("second"), TimeSpan.FromMilliseconds(300)));
        await AdvanceUntilAsync(() => Shows("third"));
        Assert.Equal(changes + 1, Volatile.Read(ref _changes)); // both in one batch
    }

    [Fact]
    public async Task Output_AfterAnIdleInterval_ShownAtOnce()
    {
        _run.Emit(ConsoleStream.Stdout, "first\n");
        Assert.True(await WithinAsync(() => Shows("first"), Patience));
        await Task.Delay(50);
        _time.Advance(RunConsole.BatchInterval * 2); // the program prints nothing for a while
        await Task.Delay(50);

        _run.Emit(ConsoleStream.Stdout, "later\n");

        Assert.True(await WithinAsync(() => Shows("later"), Patience), "output after a quiet moment waited for a batch");
    }

    public void Dispose() => _console.Dispose();
}
