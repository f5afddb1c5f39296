using CodeRunner.Engine.Sessions;

namespace CodeRunner.Engine;

/// <summary>A language the engine runs, for the UI.</summary>
public sealed record LanguageInfo(string Id, string DisplayName, IReadOnlyList<string> Extensions, string? Problem);

/// <summary>What the engine holds now, for diagnostics.</summary>
public sealed record EngineStatus(
    string? Problem,
    int Sessions,
    int ActiveRuns,
    IReadOnlyList<PoolStatus> Pools,
    int NetworkKitsReady,
    int NetworkSessions,
    string? NetworkProblem);

/// <summary>A fast-mode pool: containers warm and waiting, all it owns, and runs waiting for one.</summary>
public sealed record PoolStatus(string Runtime, int Warm, int Live, int Waiting);

/// <summary>The execution engine: sessions, the warm pools behind them, and the state of Docker.</summary>
public interface IExecutionEngine
{
    IReadOnlyList<LanguageInfo> Languages { get; }

    /// <summary>Null while Docker answers and the images are present; otherwise a sentence saying what is wrong and what to do.</summary>
    string? Problem { get; }

    /// <summary>Completes when every pool holds its warm containers (or could not, see <see cref="Problem"/>).</summary>
    Task Warmed { get; }

    IEngineSession CreateSession();

    EngineStatus GetStatus();
}
