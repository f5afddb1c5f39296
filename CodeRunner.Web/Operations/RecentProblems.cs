using CodeRunner.Web.Runs;

namespace CodeRunner.Web.Operations;

/// <summary>A warning or an error the server logged.</summary>
public sealed record LoggedProblem(DateTimeOffset At, LogLevel Level, string Category, int EventId, string Message, string? Exception);

/// <summary>
/// Keeps the last <see cref="Capacity"/> warnings and errors the server logged, for the admin page: the place to look
/// first when something goes wrong, without a shell on the server.
/// </summary>
public sealed class RecentProblems(TimeProvider time) : ILoggerProvider
{
    public const int Capacity = 200;

    private readonly RingBuffer<LoggedProblem> _entries = new(Capacity);
    private readonly Lock _gate = new();

    /// <summary>The newest first.</summary>
    public IReadOnlyList<LoggedProblem> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries.Reverse()];
        }
    }

    public ILogger CreateLogger(string categoryName) => new ProblemLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LoggedProblem problem)
    {
        lock (_gate)
        {
            _entries.Add(problem);
        }
    }

    private sealed class ProblemLogger(RecentProblems owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add(new LoggedProblem(owner.Now, logLevel, category, eventId.Id, formatter(state, exception), exception?.Message));
            }
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();
}
