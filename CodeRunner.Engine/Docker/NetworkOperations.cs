using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CodeRunner.Engine.Docker;

/// <summary>Networks through Docker.DotNet.</summary>
internal sealed class NetworkOperations(DockerClientProvider docker) : INetworkOperations
{
    /// <summary>The Docker option that names a bridge network's host interface.</summary>
    private const string BridgeNameOption = "com.docker.network.bridge.name";

    public async Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, string? subnet, string? bridgeName,
        bool isInternal, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // Not cancellable: a network Docker creates after the caller gave up would be known to nobody.
        try
        {
            var response = await DockerCall.Run(() => client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                Driver = "bridge",
                Internal = isInternal,
                Labels = labels.ToDictionary(),
                Options = bridgeName is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [BridgeNameOption] = bridgeName },
                IPAM = subnet is null ? null : new IPAM { Config = [new IPAMConfig { Subnet = subnet }] },
            }, CancellationToken.None)).ConfigureAwait(false);
            return response.ID;
        }
        catch (DockerApiException ex) when (ex.ResponseBody?.Contains("overlaps", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new SubnetInUseException(subnet ?? "", ex);
        }
    }

    private static async Task DisconnectAsync(DockerClient client, string network, string containerId, CancellationToken cancellationToken)
    {
        await DockerCall.Run(() => client.Networks.DisconnectNetworkAsync(network,
            new NetworkDisconnectParameters { Container = containerId, Force = true }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DockerCall.Run(() => client.Networks.DeleteNetworkAsync(id, cancellationToken)).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden && ex.ResponseBody?.Contains("active endpoints") == true)
        {
            // Something is still attached (a container whose removal is under way): detach it, then try once more.
            var network = await DockerCall.Run(() => client.Networks.InspectNetworkAsync(id, cancellationToken)).ConfigureAwait(false);
            foreach (var container in network.Containers?.Keys ?? [])
            {
                await DisconnectAsync(client, id, container, cancellationToken).ConfigureAwait(false);
            }

            await DockerCall.Run(() => client.Networks.DeleteNetworkAsync(id, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ManagedResource>> ListManagedAsync(CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        var list = await DockerCall.Run(() => client.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{Labels.Managed}=true"] = true },
            },
        }, cancellationToken)).ConfigureAwait(false);
        return list.Select(n => new ManagedResource(n.ID, n.Name, "", (n.Labels ?? new Dictionary<string, string>()).AsReadOnly()))
            .ToList();
    }
}
