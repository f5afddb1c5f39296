namespace CodeRunner.Engine;

/// <summary>
/// What an administrator sees of the engine and may do to it. Every action names the administrator, who is written in
/// the log with what was done.
/// </summary>
public interface IEngineAdministration
{
    /// <summary>The pools, with their containers by state, and the sessions with their live runs.</summary>
    EngineOverview GetOverview();

    /// <summary>Each runtime's image: when it was built, its size, and whether it is older than its runtime folder.</summary>
    Task<IReadOnlyList<RuntimeImage>> GetImagesAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the pool's warm containers and keeps none until <see cref="RefillPool"/>; false when there is no such pool.</summary>
    bool DrainPool(string runtime, string administrator);

    /// <summary>Makes the pool's warm containers again; false when there is no such pool.</summary>
    bool RefillPool(string runtime, string administrator);

    /// <summary>Stops a live run of any session; false when no run has that id (it ended meanwhile).</summary>
    Task<bool> StopRunAsync(string runId, string administrator, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a session: its runs are stopped, its network, SQL database and notebook kernels removed. The person's next
    /// run starts a new session. False when there is no such session.
    /// </summary>
    Task<bool> EndSessionAsync(string sessionId, string administrator);
}

/// <summary>The engine's pools and sessions, now.</summary>
public sealed record EngineOverview(IReadOnlyList<PoolOverview> Pools, IReadOnlyList<SessionOverview> Sessions);

/// <summary>
/// A fast-mode pool: <paramref name="Warm"/> containers wait for a run, <paramref name="Busy"/> run one (or are being
/// made), <paramref name="Resetting"/> are being wiped after a run; <paramref name="Waiting"/> runs wait for one.
/// </summary>
public sealed record PoolOverview(string Runtime, int Target, int Warm, int Busy, int Resetting, int Waiting, bool Drained);

/// <summary>An engine session (an IDE tab, an API run) and its live runs.</summary>
public sealed record SessionOverview(
    string Id,
    DateTimeOffset OpenedAt,
    string? NetworkName,
    int NotebookKernels,
    bool HasSqlDatabase,
    IReadOnlyList<RunOverview> Runs);

/// <summary>A live run.</summary>
public sealed record RunOverview(string Id, string SessionId, string Language, string EntryFile);

/// <summary>
/// A runtime's image: null <paramref name="BuiltAt"/> and <paramref name="SizeBytes"/> when it is missing;
/// <paramref name="OutOfDate"/> when its runtime folder changed since it was built.
/// </summary>
public sealed record RuntimeImage(string Runtime, string Image, DateTimeOffset? BuiltAt, long? SizeBytes, bool OutOfDate);
