namespace CodeRunner.Engine.Docker;

/// <summary>The container calls the engine makes.</summary>
internal interface IContainerOperations
{
    /// <summary>Creates the container, attaches to its stdio if asked, and starts it.</summary>
    Task<AttachedContainer> RunAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Whether the container exists and runs.</summary>
    Task<bool> IsRunningAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the container by force; a container already gone is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The container's IP address on <paramref name="network"/>, or null when it has none there.</summary>
    Task<string?> GetAddressAsync(string id, string network, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ManagedResource>> ListManagedAsync(CancellationToken cancellationToken = default);
}

/// <summary>The network calls the engine makes.</summary>
internal interface INetworkOperations
{
    /// <summary>
    /// Creates a bridge network on <paramref name="subnet"/> (null lets Docker choose one); <paramref name="bridgeName"/>
    /// names its host interface (null lets Docker name it), and an <paramref name="isInternal"/> network has no route out.
    /// Throws <see cref="SubnetInUseException"/> when something else already uses the subnet.
    /// </summary>
    Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, string? subnet, string? bridgeName, bool isInternal,
        CancellationToken cancellationToken = default);

    /// <summary>Removes the network; a network already gone is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ManagedResource>> ListManagedAsync(CancellationToken cancellationToken = default);
}

/// <summary>The image calls the engine makes.</summary>
internal interface IImageOperations
{
    /// <summary>The image's labels, or null when the image does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetLabelsAsync(string image, CancellationToken cancellationToken = default);

    /// <summary>When the image was built, its size and its labels, or null when the image does not exist.</summary>
    Task<ImageFacts?> InspectAsync(string image, CancellationToken cancellationToken = default);
}

/// <summary>What Docker says of an image.</summary>
internal sealed record ImageFacts(DateTimeOffset Created, long SizeBytes, IReadOnlyDictionary<string, string> Labels);
