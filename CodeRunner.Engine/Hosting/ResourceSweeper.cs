using CodeRunner.Engine.Docker;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Hosting;

/// <summary>Removes containers and networks carrying the engine's labels whose owning process is gone.</summary>
internal sealed class ResourceSweeper(IContainerOperations containers, INetworkOperations networks, ILogger logger)
{
    /// <summary>Never throws for one resource: what cannot be removed now is logged and tried again at the next sweep.</summary>
    public Task SweepOrphansAsync(CancellationToken cancellationToken = default) =>
        // A stopped container is never in use (the engine's containers run until removed): it is left from a crash,
        // a Docker restart or a removal that failed, whoever owns it.
        RemoveAsync(c => Labels.IsOrphan(c.Labels) || c.State is "exited" or "dead", n => Labels.IsOrphan(n.Labels), cancellationToken);

    /// <summary>Removes every container and network carrying this owner label: the last step of an engine's shutdown.</summary>
    public Task RemoveOwnedAsync(string owner, CancellationToken cancellationToken = default)
    {
        bool Owned(ManagedResource r) => r.Labels.GetValueOrDefault(Labels.Owner) == owner;
        return RemoveAsync(Owned, Owned, cancellationToken);
    }

    private async Task RemoveAsync(Func<ManagedResource, bool> container, Func<ManagedResource, bool> network, CancellationToken cancellationToken)
    {
        var doomed = (await containers.ListManagedAsync(cancellationToken).ConfigureAwait(false)).Where(container).ToList();
        var removed = await Task.WhenAll(doomed.Select(c => TryAsync(c.Name, () => containers.RemoveAsync(c.Id, cancellationToken))))
            .ConfigureAwait(false);

        // Networks after containers: a network with a container attached cannot be removed.
        var doomedNetworks = (await networks.ListManagedAsync(cancellationToken).ConfigureAwait(false)).Where(network).ToList();
        var removedNetworks = 0;
        foreach (var n in doomedNetworks)
        {
            removedNetworks += await TryAsync(n.Name, () => networks.RemoveAsync(n.Id, cancellationToken)).ConfigureAwait(false) ? 1 : 0;
        }

        if (doomed.Count + doomedNetworks.Count > 0)
        {
            Log.OrphansRemoved(logger, removed.Count(r => r), removedNetworks);
        }
    }

    private async Task<bool> TryAsync(string name, Func<Task> remove)
    {
        try
        {
            await remove().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DockerUnavailableException)
        {
            Log.SweepFailed(logger, $"{name}: {ex.Message}");
            return false;
        }
    }
}
