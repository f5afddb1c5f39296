namespace CodeRunner.Engine.Runtimes;

/// <summary>A runtime image and the languages it serves, as read from its manifest.</summary>
internal sealed class Runtime
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string Hash { get; init; }
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public required SandboxLimits Limits { get; init; }

    /// <summary>
    /// Memory the image's resident compiler may hold (runtimes/agent/PROTOCOL.md, "Resident compiler"), on top of
    /// <see cref="SandboxLimits.MemoryMb"/>: the container gets both, and a run is measured against its own limit, so
    /// that a program never has less than the limit it is told.
    /// </summary>
    public int ResidentMemoryMb { get; init; }

    /// <summary>Processes and threads the resident compiler may hold, on top of <see cref="SandboxLimits.Pids"/>, for the same reason.</summary>
    public int ResidentPids { get; init; }

    /// <summary>The server the image runs (<see cref="RuntimeCatalog.PostgresService"/>), or null for a sandbox with a warm pool.</summary>
    public string? Service { get; init; }

    public bool IsSandbox => Service is null;
    public List<Language> Languages { get; } = [];

    /// <summary>Null when the image is present and current; otherwise what is wrong and how to fix it.</summary>
    public string? ImageProblem { get; set; }

    public bool ImageMissing { get; set; }
}

/// <summary>A language: how to recognise its files, how to compile and run them, and how the editor shows them.</summary>
internal sealed class Language
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required IReadOnlyList<string> Aliases { get; init; }
    public required IReadOnlyList<string> Extensions { get; init; }
    /// <summary>The compile command the engine runs: the manifest's, with its <see cref="SpeedFlags"/> after the compiler's name.</summary>
    public required IReadOnlyList<string>? Compile { get; init; }

    /// <summary>The manifest's <c>speedFlags</c>: <see cref="Compile"/>'s arguments 1 to their count.</summary>
    public IReadOnlyList<string> SpeedFlags { get; init; } = [];

    public required IReadOnlyList<string> Run { get; init; }
    public required Runtime Runtime { get; init; }

    /// <summary>Monaco's language id for the language's files.</summary>
    public required string Editor { get; init; }

    /// <summary>Extensions the editor shows as this language that are not sources (a C header).</summary>
    public required IReadOnlyList<string> EditorExtensions { get; init; }

    /// <summary>The files of <c>runtimes/&lt;runtime&gt;/examples/&lt;id&gt;/</c>, for the starter project.</summary>
    public IReadOnlyList<LanguageExample> Examples { get; set; } = [];

    public bool IsSource(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public LanguageInfo ToInfo() => new(Id, DisplayName, Extensions, Editor, EditorExtensions, Examples, Runtime.ImageProblem);
}
