namespace CodeRunner.Engine.Docker;

/// <summary>Whether the Docker engine answers.</summary>
internal interface ISystemOperations
{
    /// <summary>Throws <see cref="DockerUnavailableException"/> when the engine does not answer.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}

/// <summary>The ping through Docker.DotNet.</summary>
internal sealed class SystemOperations(DockerClientProvider docker) : ISystemOperations
{
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        await DockerCall.Run(() => client.System.PingAsync(cancellationToken)).ConfigureAwait(false);
    }
}
