using System.Diagnostics;
using System.Globalization;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine.Pools;

/// <summary>Creates sandboxed runtime containers and waits until their agent is ready.</summary>
internal sealed class ContainerFactory(IContainerOperations containers, IOptions<EngineOptions> options, EngineMetrics metrics,
    ILogger<ContainerFactory> logger)
{
    /// <summary>What the agent needs: it kills, changes user, and wipes and re-owns what programs leave behind.</summary>
    private static readonly string[] AgentCapabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETUID", "SETGID"];

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly CreationGate _creations = new(options.Value.MaxConcurrentCreations);

    public async Task<RuntimeContainer> CreateAsync(Runtime runtime, string networkMode, IReadOnlyDictionary<string, string> labels,
        CreationPriority priority, CancellationToken cancellationToken = default)
    {
        var queued = Stopwatch.GetTimestamp();
        using (await _creations.EnterAsync(priority, cancellationToken).ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            RuntimeContainer created;
            try
            {
                created = await CreateReadyAsync(runtime, networkMode, labels, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.ContainerCreated(runtime.Name, succeeded: false);
                throw;
            }

            metrics.ContainerCreated(runtime.Name, succeeded: true);
            Log.ContainerCreated(logger, runtime.Name, Log.Short(created.Id), networkMode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds);
            return created;
        }
    }

    private async Task<RuntimeContainer> CreateReadyAsync(Runtime runtime, string networkMode, IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        var attached = await containers.RunAsync(Spec(runtime, networkMode, labels), cancellationToken).ConfigureAwait(false);
        var agent = new AgentConnection(attached.Id, attached.Stream, logger);
        var container = new RuntimeContainer(attached.Id, runtime, agent, containers);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadyTimeout);
            var ready = await agent.WaitReadyAsync(timeout.Token).ConfigureAwait(false);
            if (!ready.Ok)
            {
                throw new InvalidOperationException($"The {runtime.Name} container's agent did not start cleanly: {ready.Problem}");
            }
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return container;
    }

    /// <summary>A container that only holds a session's network namespace for the runtime containers that join it.</summary>
    public static ContainerSpec HolderSpec(string agentImage, string network, IReadOnlyDictionary<string, string> labels) => new()
    {
        Image = agentImage,
        Command = ["--hold"],
        Labels = labels,
        NetworkMode = network,
        AttachStdio = false,
        NanoCpus = 100_000_000,
        MemoryBytes = 16L * 1024 * 1024,
        PidsLimit = 4,
    };

    private static ContainerSpec Spec(Runtime runtime, string networkMode, IReadOnlyDictionary<string, string> labels)
    {
        var limits = runtime.Limits;
        // Every writable mount root stays root's with mode 1777, as /tmp, /dev/shm and /dev/mqueue are: programs fill
        // them but cannot chmod them or give them an ACL or xattr that the next run would inherit. The agent refuses
        // to call a container ready otherwise.
        var workspace = $"rw,exec,nosuid,nodev,size={limits.WorkspaceMb}m,mode=1777";
        var tmp = $"rw,exec,nosuid,nodev,size={limits.TmpMb}m,mode=1777";
        return new ContainerSpec
        {
            Image = runtime.Image,
            Command =
            [
                "--uid", SandboxPaths.ProgramUid.ToString(CultureInfo.InvariantCulture),
                "--workdir", SandboxPaths.Workspace,
                "--wipe", SandboxPaths.Workspace,
                "--wipe", SandboxPaths.Build,
                "--wipe", SandboxPaths.Tmp,
                "--wipe", SandboxPaths.SharedMemory,
                "--wipe", SandboxPaths.MessageQueues,
            ],
            Labels = labels,
            NetworkMode = networkMode,
            Tmpfs = new Dictionary<string, string>
            {
                [SandboxPaths.Workspace] = workspace,
                [SandboxPaths.Build] = workspace,
                [SandboxPaths.Tmp] = tmp,
            },
            CapAdd = AgentCapabilities,
            NanoCpus = (long)(limits.Cpus * 1_000_000_000),
            MemoryBytes = (limits.MemoryMb + runtime.ResidentMemoryMb) * 1024L * 1024L,
            PidsLimit = limits.Pids + runtime.ResidentPids,
        };
    }
}
