using System.Text;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>Everything a run printed, and its verdict.</summary>
public sealed record RunResult(string Stdout, string Stderr, string System, RunVerdict Verdict, IReadOnlyList<ConsoleEvent> Events)
{
    public override string ToString() => $"verdict: {Verdict.Summary}\nstdout: {Stdout}\nstderr: {Stderr}\nsystem: {System}";
}

public static class RunExtensions
{
    public static async Task<RunResult> CollectAsync(this IRunHandle run, TimeSpan? timeout = null)
    {
        var events = new List<ConsoleEvent>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await foreach (var e in run.Events.ReadAllAsync(cts.Token))
        {
            events.Add(e);
        }

        var verdict = await run.Completion.WaitAsync(cts.Token);
        string Join(ConsoleStream s) => string.Concat(events.Where(e => e.Stream == s).Select(e => e.Text));
        return new RunResult(Join(ConsoleStream.Stdout), Join(ConsoleStream.Stderr), Join(ConsoleStream.System), verdict, events);
    }

    public static async Task<RunResult> RunAsync(this IEngineSession session, string entry, string code, RunMode mode = RunMode.Fast,
        params (string Path, string Text)[] others) =>
        await (await session.StartRunAsync(Request(entry, code, mode, others))).CollectAsync();

    public static RunRequest Request(string entry, string code, RunMode mode = RunMode.Fast, params (string Path, string Text)[] others) => new()
    {
        EntryFile = entry,
        Files = others.Select(o => SourceFile.Text(o.Path, o.Text)).Prepend(SourceFile.Text(entry, code)).ToList(),
        Mode = mode,
    };

    /// <summary>Waits until the run's stdout contains the text.</summary>
    public static async Task<string> WaitForStdoutAsync(this IRunHandle run, string text, TimeSpan? timeout = null)
    {
        var seen = new StringBuilder();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            var e = await run.Events.ReadAsync(cts.Token);
            if (e.Stream == ConsoleStream.Stdout)
            {
                seen.Append(e.Text);
            }
        }

        return seen.ToString();
    }
}
