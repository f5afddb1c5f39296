using CodeRunner.Engine.Docker;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine;

/// <summary>Removes containers and networks carrying the engine's labels whose owning process is gone.</summary>
internal sealed class ResourceSweeper(IContainerOperations containers, INetworkOperations networks, ILogger logger)
{
    /// <summary>Never throws for one resource: what cannot be removed now is logged and tried again at the next sweep.</summary>
    public async Task SweepOrphansAsync(CancellationToken cancellationToken = default)
    {
        // A stopped container is never in use (the engine's containers run until removed): it is left from a crash,
        // a Docker restart or a removal that failed, whoever owns it.
        var orphans = (await containers.ListManagedAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => Labels.IsOrphan(c.Labels) || c.State is "exited" or "dead").ToList();
        var removed = await Task.WhenAll(orphans.Select(c => TryAsync(c.Name, () => containers.RemoveAsync(c.Id, cancellationToken))))
            .ConfigureAwait(false);

        // Networks after containers: a network with a container attached cannot be removed.
        var orphanNetworks = (await networks.ListManagedAsync(cancellationToken).ConfigureAwait(false))
            .Where(n => Labels.IsOrphan(n.Labels)).ToList();
        var removedNetworks = 0;
        foreach (var network in orphanNetworks)
        {
            removedNetworks += await TryAsync(network.Name, () => networks.RemoveAsync(network.Id, cancellationToken)).ConfigureAwait(false) ? 1 : 0;
        }

        if (orphans.Count + orphanNetworks.Count > 0)
        {
            Log.OrphansRemoved(logger, removed.Count(r => r), removedNetworks);
        }
    }

    /// <summary>Removes every container and network carrying this owner label: the last step of an engine's shutdown.</summary>
    public async Task RemoveOwnedAsync(string owner, CancellationToken cancellationToken = default)
    {
        static bool Owned(ManagedResource r, string owner) => r.Labels.GetValueOrDefault(Labels.Owner) == owner;
        var left = (await containers.ListManagedAsync(cancellationToken).ConfigureAwait(false)).Where(c => Owned(c, owner)).ToList();
        await Task.WhenAll(left.Select(c => TryAsync(c.Name, () => containers.RemoveAsync(c.Id, cancellationToken)))).ConfigureAwait(false);
        var leftNetworks = (await networks.ListManagedAsync(cancellationToken).ConfigureAwait(false)).Where(n => Owned(n, owner)).ToList();
        foreach (var network in leftNetworks)
        {
            await TryAsync(network.Name, () => networks.RemoveAsync(network.Id, cancellationToken)).ConfigureAwait(false);
        }

        if (left.Count + leftNetworks.Count > 0)
        {
            Log.OrphansRemoved(logger, left.Count, leftNetworks.Count);
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
