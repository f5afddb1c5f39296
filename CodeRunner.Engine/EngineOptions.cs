using CodeRunner.Engine.Networking;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine;

/// <summary>Settings of the execution engine, bound from the <c>Engine</c> configuration section.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>Docker endpoint such as <c>unix:///var/run/docker.sock</c>; empty means DOCKER_HOST, then the default socket.</summary>
    public string? DockerEndpoint { get; set; }

    /// <summary>Folder holding <c>runtimes/&lt;name&gt;/runtime.json</c>; empty means the nearest <c>runtimes</c> folder above the app.</summary>
    public string? RuntimesPath { get; set; }

    /// <summary>Warm containers kept per runtime in fast mode.</summary>
    public int PoolSize { get; set; } = 3;

    /// <summary>Most containers of one runtime's pool, warm and busy together; past it a run waits for one to come back.</summary>
    public int MaxContainersPerRuntime { get; set; } = 16;

    /// <summary>Most containers of one runtime a network-mode session may hold, for runs that are live at once.</summary>
    public int MaxSessionContainersPerRuntime { get; set; } = 4;

    /// <summary>The IPv4 range that session networks take their subnets from; a range nothing else on the site uses.</summary>
    public string SessionSubnets { get; set; } = "198.18.0.0/16";

    /// <summary>The prefix length of each session network's subnet (28: 16 addresses, of which a session uses two).</summary>
    public int SessionSubnetPrefix { get; set; } = 28;

    /// <summary>
    /// Keep network-mode programs inside their session with firewall rules (see <see cref="Networking.HostFirewall"/>);
    /// network mode is refused while the rules cannot be set. False runs network mode without them: its programs can
    /// then reach this host, the local network and each other.
    /// </summary>
    public bool ProtectHost { get; set; } = true;

    /// <summary>What a network-mode program may reach beyond its own session: nothing (the default), or the Internet.</summary>
    public NetworkEgress NetworkEgress { get; set; } = NetworkEgress.None;

    /// <summary>Sessions that may use network mode at once; past it, turning it on is refused with a message.</summary>
    public int MaxNetworkSessions { get; set; } = 60;

    /// <summary>How often the firewall rules are checked, and written again when something removed them.</summary>
    public TimeSpan FirewallCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Runs one session may have live at once; more wait until one of the session's own runs ends.</summary>
    public int MaxRunsPerSession { get; set; } = 4;

    /// <summary>Network-mode kits kept warm (a holder and a container per runtime), so that first network runs start at once.</summary>
    public int NetworkKits { get; set; } = 2;

    /// <summary>Runs after which a container is destroyed and replaced rather than reset.</summary>
    public int MaxRunsPerContainer { get; set; } = 200;

    /// <summary>Containers created at once, so that refilling pools cannot starve runs of the CPU.</summary>
    public int MaxConcurrentCreations { get; set; } = 3;

    /// <summary>Warm containers above <see cref="PoolSize"/>, made during a rush, are removed after this long without one.</summary>
    public TimeSpan PoolTrimAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a run waits for a container when its pool is at its maximum.</summary>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A session's network-mode containers and network are removed after this long without a run.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often idle sessions and orphaned resources are swept.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public SandboxLimits Limits { get; set; } = new();

    public RequestLimits Requests { get; set; } = new();

    /// <summary>Notebook kernels (<c>Engine:Kernels</c>): their idle timeout and a cell's time limit.</summary>
    public Notebooks.KernelOptions Kernels { get; set; } = new();

    /// <summary>SQL runs (<c>Engine:Sql</c>): the PostgreSQL server they share, and what one session's queries may use.</summary>
    public Sql.SqlOptions Sql { get; set; } = new();
}

/// <summary>What a network-mode program may reach beyond its own session.</summary>
public enum NetworkEgress
{
    /// <summary>Nothing: only the session's own programs, over their shared localhost.</summary>
    None,

    /// <summary>
    /// The Internet, but never this host, private, shared, link-local, loopback, multicast or reserved addresses,
    /// the session range, nor another session.
    /// </summary>
    Internet,
}

/// <summary>Resource limits of every container; a runtime's manifest may override some of them.</summary>
public sealed class SandboxLimits
{
    public double Cpus { get; set; } = 0.5;
    public int MemoryMb { get; set; } = 128;
    public int Pids { get; set; } = 128;
    public int TimeoutSeconds { get; set; } = 30;
    public long OutputLimitBytes { get; set; } = 1024 * 1024;
    public int WorkspaceMb { get; set; } = 64;
    public int TmpMb { get; set; } = 64;
}

/// <summary>Bounds on what one run request may carry.</summary>
public sealed class RequestLimits
{
    public int MaxFiles { get; set; } = 500;
    public long MaxTotalBytes { get; set; } = 10 * 1024 * 1024;
    public int MaxPathLength { get; set; } = Runs.ProjectPathRules.MaxLength;
    public int MaxPathDepth { get; set; } = Runs.ProjectPathRules.MaxDepth;
}

/// <summary>Fails start-up with a sentence naming the wrong key.</summary>
public sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        const string S = EngineOptions.SectionName;
        Require(options.PoolSize is >= 0 and <= 64, $"{S}:PoolSize must be between 0 and 64 (it is {options.PoolSize}).");
        Require(options.MaxContainersPerRuntime >= Math.Max(1, options.PoolSize),
            $"{S}:MaxContainersPerRuntime must be at least 1 and at least {S}:PoolSize (it is {options.MaxContainersPerRuntime}).");
        Require(options.MaxSessionContainersPerRuntime is >= 1 and <= 64, $"{S}:MaxSessionContainersPerRuntime must be between 1 and 64.");
        Require(options.NetworkKits is >= 0 and <= 64, $"{S}:NetworkKits must be between 0 and 64.");
        Require(options.MaxRunsPerSession is >= 1 and <= 64, $"{S}:MaxRunsPerSession must be between 1 and 64 (it is {options.MaxRunsPerSession}).");
        Require(options.MaxNetworkSessions is >= 1 and <= 4096, $"{S}:MaxNetworkSessions must be between 1 and 4096 (it is {options.MaxNetworkSessions}).");
        Require(Enum.IsDefined(options.NetworkEgress), $"{S}:NetworkEgress must be None or Internet.");
        Require(options.FirewallCheckInterval > TimeSpan.Zero, $"{S}:FirewallCheckInterval must be positive.");
        try
        {
            var (_, rangePrefix) = SubnetAllocator.Parse(options.SessionSubnets);
            Require(options.SessionSubnetPrefix >= rangePrefix && options.SessionSubnetPrefix <= 29,
                $"{S}:SessionSubnetPrefix must be between the range's own /{rangePrefix} and /29 (it is /{options.SessionSubnetPrefix}).");
            var subnets = 1L << Math.Clamp(options.SessionSubnetPrefix - rangePrefix, 0, 62);
            Require(options.MaxNetworkSessions + options.NetworkKits <= subnets,
                $"{S}:MaxNetworkSessions plus {S}:NetworkKits ({options.MaxNetworkSessions + options.NetworkKits}) must fit the {subnets} subnets of {S}:SessionSubnets.");
        }
        catch (FormatException ex)
        {
            errors.Add($"{S}:SessionSubnets: {ex.Message}");
        }

        Require(options.MaxRunsPerContainer >= 1, $"{S}:MaxRunsPerContainer must be at least 1.");
        Require(options.MaxConcurrentCreations is >= 1 and <= 64, $"{S}:MaxConcurrentCreations must be between 1 and 64.");
        Require(options.AcquireTimeout > TimeSpan.Zero, $"{S}:AcquireTimeout must be positive.");
        Require(options.PoolTrimAfter > TimeSpan.Zero, $"{S}:PoolTrimAfter must be positive.");
        Require(options.SessionIdleTimeout > TimeSpan.Zero, $"{S}:SessionIdleTimeout must be positive.");
        Require(options.SweepInterval > TimeSpan.Zero, $"{S}:SweepInterval must be positive.");
        Require(options.DockerEndpoint is null or "" || Uri.TryCreate(options.DockerEndpoint, UriKind.Absolute, out _),
            $"{S}:DockerEndpoint must be an absolute URI such as unix:///var/run/docker.sock (it is '{options.DockerEndpoint}').");
        Require(options.RuntimesPath is null or "" || Directory.Exists(options.RuntimesPath),
            $"{S}:RuntimesPath '{options.RuntimesPath}' is not a folder.");

        var l = options.Limits;
        Require(l.Cpus is > 0 and <= 64, $"{S}:Limits:Cpus must be above 0 and at most 64 (it is {l.Cpus}).");
        Require(l.MemoryMb is >= 16 and <= 65536, $"{S}:Limits:MemoryMb must be between 16 and 65536 (it is {l.MemoryMb}).");
        Require(l.Pids is >= 16 and <= 32768, $"{S}:Limits:Pids must be between 16 and 32768 (it is {l.Pids}).");
        Require(l.TimeoutSeconds is >= 1 and <= 3600, $"{S}:Limits:TimeoutSeconds must be between 1 and 3600 (it is {l.TimeoutSeconds}).");
        Require(l.OutputLimitBytes is >= 1024 and <= 1L << 32, $"{S}:Limits:OutputLimitBytes must be between 1 KiB and 4 GiB.");
        Require(l.WorkspaceMb is >= 1 and <= 4096, $"{S}:Limits:WorkspaceMb must be between 1 and 4096.");
        Require(l.TmpMb is >= 1 and <= 4096, $"{S}:Limits:TmpMb must be between 1 and 4096.");

        var r = options.Requests;
        Require(r.MaxFiles is >= 1 and <= 100_000, $"{S}:Requests:MaxFiles must be between 1 and 100000.");
        Require(r.MaxTotalBytes is >= 1024 and <= 60 * 1024 * 1024, $"{S}:Requests:MaxTotalBytes must be between 1 KiB and 60 MiB.");
        Require(r.MaxPathLength is >= 8 and <= 1024, $"{S}:Requests:MaxPathLength must be between 8 and 1024.");
        Require(r.MaxPathDepth is >= 1 and <= 64, $"{S}:Requests:MaxPathDepth must be between 1 and 64.");

        var k = options.Kernels;
        Require(k.IdleTimeout >= TimeSpan.FromSeconds(1) && k.IdleTimeout <= TimeSpan.FromDays(1),
            $"{S}:Kernels:IdleTimeout must be between 00:00:01 and 1.00:00:00 (it is {k.IdleTimeout}).");
        Require(k.CellTimeout >= TimeSpan.FromSeconds(1) && k.CellTimeout <= TimeSpan.FromDays(1),
            $"{S}:Kernels:CellTimeout must be between 00:00:01 and 1.00:00:00 (it is {k.CellTimeout}).");
        Require(k.MaxPerSession is >= 1 and <= 64, $"{S}:Kernels:MaxPerSession must be between 1 and 64 (it is {k.MaxPerSession}).");
        Require(k.MaxKernels >= k.MaxPerSession && k.MaxKernels <= 10_000,
            $"{S}:Kernels:MaxKernels must be at least {S}:Kernels:MaxPerSession and at most 10000 (it is {k.MaxKernels}).");

        errors.AddRange(options.Sql.Problems($"{S}:Sql"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
