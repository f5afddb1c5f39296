namespace CodeRunner.Engine.Docker;

/// <summary>Everything the engine decides about a container it creates; Docker types stay in this folder.</summary>
internal sealed record ContainerSpec
{
    public required string Image { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>"none", a network name, or "container:&lt;id&gt;" to join another container's network namespace.</summary>
    public required string NetworkMode { get; init; }

    /// <summary>Attach stdin, stdout and stderr before start; stdin closes when the attachment does.</summary>
    public bool AttachStdio { get; init; } = true;

    public bool ReadOnlyRootFilesystem { get; init; } = true;
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public long NanoCpus { get; init; }
    public long MemoryBytes { get; init; }
    public long PidsLimit { get; init; }

    /// <summary>Environment variables of the container's first process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>A started container with its attached stdio stream.</summary>
internal sealed record AttachedContainer(string Id, global::Docker.DotNet.MultiplexedStream Stream);

/// <summary>A container or network carrying the engine's labels.</summary>
internal sealed record ManagedResource(string Id, string Name, string State, IReadOnlyDictionary<string, string> Labels);
