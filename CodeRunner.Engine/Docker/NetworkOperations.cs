using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CodeRunner.Engine.Docker;

/// <summary>Networks through Docker.DotNet.</summary>
internal sealed class NetworkOperations(DockerClientProvider docker) : INetworkOperations
{
    public async Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await DockerCall.Run(() => client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            Labels = labels.ToDictionary(),
        }, cancellationToken)).ConfigureAwait(false);
        return response.ID;
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
