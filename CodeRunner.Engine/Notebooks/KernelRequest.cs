using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Notebooks;

/// <summary>What a notebook kernel starts from.</summary>
public sealed record KernelRequest
{
    /// <summary>The project's files, read at every start and restart: the kernel's workspace holds them.</summary>
    public required Func<IReadOnlyList<SourceFile>> Files { get; init; }

    /// <summary>The notebook's path in the project; the kernel's working folder is the notebook's folder.</summary>
    public required string NotebookPath { get; init; }
}
