using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Hosting;

/// <summary>
/// The engine's instruments, on the <see cref="EngineTelemetry.MeterName"/> meter: whatever listens (OpenTelemetry's Prometheus
/// exporter in the web host, <c>dotnet-counters</c>) reads them. Names and units follow OpenTelemetry's conventions:
/// dotted lower-case names, seconds for durations, and the counted thing in braces.
/// </summary>
internal sealed class EngineMetrics
{
    /// <summary>Buckets for run durations and queue waits: a warm Python run takes milliseconds, a C# compile seconds.</summary>
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _creations;
    private readonly Counter<long> _resetFailures;
    private readonly Meter _meter;

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(EngineTelemetry.MeterName);
        _runs = meter.CreateCounter<long>("coderunner.runs", "{run}", "Runs that ended, by language, kind and outcome.");
        _runDuration = meter.CreateHistogram<double>("coderunner.run.duration", "s",
            "From the run's start in its container (or against its database) to its verdict, compile included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _queueWait = meter.CreateHistogram<double>("coderunner.run.queue.duration", "s",
            "How long a run waited for a slot of its session and a container before it started.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _creations = meter.CreateCounter<long>("coderunner.container.creations", "{container}", "Sandbox containers created, by runtime and outcome.");
        _resetFailures = meter.CreateCounter<long>("coderunner.container.reset_failures", "{container}",
            "Containers whose reset after a run failed, so that they were replaced.");
        _meter = meter;
    }

    /// <summary>Observes the engine's gauges: pools, sessions, SQL databases and notebook kernels.</summary>
    public void Observe(ExecutionEngine engine)
    {
        _meter.CreateObservableUpDownCounter("coderunner.pool.containers.warm", () => PerPool(engine, p => p.IdleCount), "{container}",
            "Warm containers waiting for a run, per runtime pool.");
        _meter.CreateObservableUpDownCounter("coderunner.pool.containers.live", () => PerPool(engine, p => p.LiveCount), "{container}",
            "Containers a pool owns (warm, busy, resetting or being created), per runtime pool.");
        _meter.CreateObservableUpDownCounter("coderunner.pool.waiting", () => PerPool(engine, p => p.WaitingCount), "{run}",
            "Runs waiting for a container of the pool.");
        _meter.CreateObservableUpDownCounter("coderunner.sessions", () => engine.SessionCount, "{session}", "Engine sessions open (IDE tabs, API runs).");
        _meter.CreateObservableUpDownCounter("coderunner.network.sessions", () => engine.NetworkSessionCount, "{session}",
            "Sessions using network mode, each with a Docker network of its own.");
        _meter.CreateObservableUpDownCounter("coderunner.sql.databases", () => engine.SqlDatabaseCount, "{database}",
            "Sessions' SQL databases on the SQL server.");
        _meter.CreateObservableUpDownCounter("coderunner.notebook.kernels", () => engine.KernelCount, "{kernel}", "Notebook kernels running.");
    }

    /// <summary>A run, a test run or a SQL run ended; <paramref name="ran"/> is how long it ran once started.</summary>
    public void RunEnded(string language, string kind, string outcome, TimeSpan ran)
    {
        var tags = new TagList { { "coderunner.language", language }, { "coderunner.run.kind", kind }, { "coderunner.run.outcome", outcome } };
        _runs.Add(1, tags);
        _runDuration.Record(ran.TotalSeconds, tags);
    }

    /// <summary>A run got its slot and its container (or its database) after <paramref name="waited"/>.</summary>
    public void RunStarted(string language, TimeSpan waited) =>
        _queueWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("coderunner.language", language));

    public void ContainerCreated(string runtime, bool succeeded) =>
        _creations.Add(1, new KeyValuePair<string, object?>("coderunner.runtime", runtime),
            new KeyValuePair<string, object?>("coderunner.outcome", succeeded ? "created" : "failed"));

    public void ResetFailed(string runtime) => _resetFailures.Add(1, new KeyValuePair<string, object?>("coderunner.runtime", runtime));

    /// <summary>A verdict's outcome as a metric attribute: one word per way a run ends.</summary>
    public static string OutcomeOf(RunVerdict verdict) => verdict switch
    {
        { Error: not null } => "error",
        { CompileFailed: true } => "compile_error",
        { Stopped: true } => "stopped",
        { TimedOut: true } => "timed_out",
        { OutOfMemory: true } => "out_of_memory",
        { OutputLimitExceeded: true } => "output_limit",
        { ExitCode: 0 } => "succeeded",
        _ => "failed",
    };

    private static IEnumerable<Measurement<int>> PerPool(ExecutionEngine engine, Func<Pools.WarmPool, int> value) =>
        engine.Pools.Values.Select(p => new Measurement<int>(value(p), new KeyValuePair<string, object?>("coderunner.runtime", p.Runtime.Name)));
}
