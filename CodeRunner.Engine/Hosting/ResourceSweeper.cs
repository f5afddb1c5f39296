using CodeRunner.Engine.Docker;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine;

/// <summary>Removes containers and networks carrying the engine's labels whose owning process is gone.</summary>
internal sealed class ResourceSweeper(IContainerOperations containers, INetworkOperations networks, ILogger logger)
{
    public async Task SweepOrphansAsync(CancellationToken cancellationToken = default)
    {
        var orphans = (await containers.ListManagedAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => Labels.IsOrphan(c.Labels)).ToList();
        await Task.WhenAll(orphans.Select(c => containers.RemoveAsync(c.Id, cancellationToken))).ConfigureAwait(false);

        // Networks after containers: a network with a container attached cannot be removed.
        var orphanNetworks = (await networks.ListManagedAsync(cancellationToken).ConfigureAwait(false))
            .Where(n => Labels.IsOrphan(n.Labels)).ToList();
        foreach (var network in orphanNetworks)
        {
            await networks.RemoveAsync(network.Id, cancellationToken).ConfigureAwait(false);
        }

        if (orphans.Count + orphanNetworks.Count > 0)
        {
            Log.OrphansRemoved(logger, orphans.Count, orphanNetworks.Count);
        }
    }
}
