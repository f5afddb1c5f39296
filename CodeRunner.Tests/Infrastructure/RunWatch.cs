using System.Diagnostics;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>Reads a run's events as they come, so that a test can wait for output and statuses while the run goes on.</summary>
public sealed class RunWatch
{
    private readonly List<ConsoleEvent> _events = [];
    private readonly Task _reading;

    public RunWatch(IRunHandle run)
    {
        Run = run;
        _reading = Task.Run(async () =>
        {
            await foreach (var e in run.Events.ReadAllAsync())
            {
                lock (_events)
                {
                    _events.Add(e);
                }
            }
        });
    }

    public IRunHandle Run { get; }

    public IReadOnlyList<ConsoleEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public string Stdout => string.Concat(Events.Where(e => e.Stream == ConsoleStream.Stdout).Select(e => e.Text));

    public IReadOnlyList<string> Statuses => Events.Where(e => e.Stream == ConsoleStream.Status).Select(e => e.Text).ToList();

    public Task WaitForStdoutAsync(string text, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Stdout.Contains(text, StringComparison.Ordinal), $"stdout to contain '{text}'", timeout);

    public Task WaitForStatusAsync(string text, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Statuses.Any(s => s.Contains(text, StringComparison.Ordinal)), $"a status with '{text}'", timeout);

    public async Task<RunVerdict> CompletionAsync()
    {
        var verdict = await Run.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        return verdict;
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"Waited {clock.Elapsed.TotalSeconds:0.0} s for {what}; the run's events: " +
                            string.Join(" | ", Events.Select(e => $"{e.Stream}:{e.Text}")));
            }

            await Task.Delay(10);
        }
    }
}
