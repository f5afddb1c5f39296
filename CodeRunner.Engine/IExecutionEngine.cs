using CodeRunner.Engine.Sessions;

namespace CodeRunner.Engine;

/// <summary>
/// A language the engine runs, for the UI: its source extensions, Monaco's language id for its files (and for the
/// <paramref name="EditorExtensions"/>, such as a C header, that are not sources), its examples, and why it cannot run
/// now (its image is missing), or null.
/// </summary>
public sealed record LanguageInfo(
    string Id,
    string DisplayName,
    IReadOnlyList<string> Extensions,
    string Editor,
    IReadOnlyList<string> EditorExtensions,
    IReadOnlyList<LanguageExample> Examples,
    string? Problem)
{
    /// <summary>Whether the editor shows this file as the language: a source, or a file such as a header.</summary>
    public bool IsEditedAs(string path) =>
        Path.GetExtension(path) is { Length: > 0 } extension
        && (Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase) || EditorExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
}

/// <summary>An example file of a language, from its runtime's <c>examples/&lt;language id&gt;/</c> folder; the path is relative to that folder.</summary>
public sealed record LanguageExample(string Path, string Content);

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
    /// <summary>The languages of the runtimes' manifests, each with its problem as it is now.</summary>
    IReadOnlyList<LanguageInfo> Languages { get; }

    /// <summary>Null while Docker answers and the images are present; otherwise a sentence saying what is wrong and what to do.</summary>
    string? Problem { get; }

    /// <summary>Completes when every pool holds its warm containers (or could not, see <see cref="Problem"/>).</summary>
    Task Warmed { get; }

    IEngineSession CreateSession();

    EngineStatus GetStatus();
}
