using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CodeRunner.Engine.Docker;

/// <summary>Containers through Docker.DotNet.</summary>
internal sealed class ContainerOperations(DockerClientProvider docker) : IContainerOperations
{
    public async Task<AttachedContainer> RunAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // Not cancellable: a create that Docker performs after the caller gave up would leave a container nobody knows.
        var created = await DockerCall.Run(() => client.Containers.CreateContainerAsync(ToParameters(spec), CancellationToken.None))
            .ConfigureAwait(false);
        MultiplexedStream? stream = null;
        try
        {
            if (spec.AttachStdio)
            {
                stream = await DockerCall.Run(() => client.Containers.AttachContainerAsync(created.ID,
                    new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true },
                    cancellationToken)).ConfigureAwait(false);
            }

            await DockerCall.Run(() => client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken))
                .ConfigureAwait(false);
            return new AttachedContainer(created.ID, stream!);
        }
        catch
        {
            stream?.Dispose();
            await RemoveAsync(created.ID, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<bool> IsRunningAsync(string id, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inspected = await DockerCall.Run(() => client.Containers.InspectContainerAsync(id, cancellationToken)).ConfigureAwait(false);
            return inspected.State?.Running == true;
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<string?> GetAddressAsync(string id, string network, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        var inspected = await DockerCall.Run(() => client.Containers.InspectContainerAsync(id, cancellationToken)).ConfigureAwait(false);
        return inspected.NetworkSettings?.Networks?.TryGetValue(network, out var endpoint) == true && !string.IsNullOrEmpty(endpoint.IPAddress)
            ? endpoint.IPAddress
            : null;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DockerCall.Run(() => client.Containers.RemoveContainerAsync(id,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken)).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound
                                             || (ex.StatusCode == HttpStatusCode.Conflict && ex.Message.Contains("already in progress")))
        {
            // Already gone, or going.
        }
    }

    public async Task<IReadOnlyList<ManagedResource>> ListManagedAsync(CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        var list = await DockerCall.Run(() => client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{Labels.Managed}=true"] = true },
            },
        }, cancellationToken)).ConfigureAwait(false);
        return list.Select(c => new ManagedResource(c.ID, c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID, c.State,
            c.Labels.AsReadOnly())).ToList();
    }

    /// <summary>A name that says what the container is for, such as coderunner-pool-python-3f9a1c.</summary>
    private static string NameFor(ContainerSpec spec)
    {
        var parts = new[] { "coderunner", spec.Labels.GetValueOrDefault(Labels.Role), spec.Labels.GetValueOrDefault(Labels.Kit),
            spec.Labels.GetValueOrDefault(Labels.Session), spec.Labels.GetValueOrDefault(Labels.Pool), Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)) };
        return string.Join('-', parts.Where(p => !string.IsNullOrEmpty(p)));
    }

    private static CreateContainerParameters ToParameters(ContainerSpec spec) => new()
    {
        Name = NameFor(spec),
        Image = spec.Image,
        Cmd = spec.Command.ToList(),
        Env = spec.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
        Labels = spec.Labels.ToDictionary(),
        AttachStdin = spec.AttachStdio,
        AttachStdout = spec.AttachStdio,
        AttachStderr = spec.AttachStdio,
        OpenStdin = spec.AttachStdio,
        StdinOnce = spec.AttachStdio,
        Tty = false,
        StopSignal = "SIGKILL", // PID 1 ignores SIGTERM; nothing inside needs a graceful stop
        StopTimeout = TimeSpan.FromSeconds(1),
        HostConfig = new HostConfig
        {
            NetworkMode = spec.NetworkMode,
            ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
            Tmpfs = spec.Tmpfs.ToDictionary(),
            CapDrop = ["ALL"],
            CapAdd = spec.CapAdd.ToList(),
            SecurityOpt = ["no-new-privileges"],
            NanoCPUs = spec.NanoCpus,
            Memory = spec.MemoryBytes,
            MemorySwap = spec.MemoryBytes,
            PidsLimit = spec.PidsLimit,
            IpcMode = "private",
            Init = false,
            AutoRemove = false,
            LogConfig = new LogConfig { Type = "none" },
        },
    };
}
