namespace CodeRunner.Engine.Runtimes;

/// <summary>A runtime image and the languages it serves, as read from its manifest.</summary>
internal sealed class Runtime
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string Hash { get; init; }
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public required SandboxLimits Limits { get; init; }

    /// <summary>The server the image runs (<see cref="RuntimeCatalog.PostgresService"/>), or null for a sandbox with a warm pool.</summary>
    public string? Service { get; init; }

    public bool IsSandbox => Service is null;
    public List<Language> Languages { get; } = [];

    /// <summary>Null when the image is present and current; otherwise what is wrong and how to fix it.</summary>
    public string? ImageProblem { get; set; }

    public bool ImageMissing { get; set; }
}

/// <summary>A language: how to recognise its files and how to compile and run them.</summary>
internal sealed class Language
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required IReadOnlyList<string> Aliases { get; init; }
    public required IReadOnlyList<string> Extensions { get; init; }
    public required IReadOnlyList<string>? Compile { get; init; }
    public required IReadOnlyList<string> Run { get; init; }
    public required Runtime Runtime { get; init; }

    public bool IsSource(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
