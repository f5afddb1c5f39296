namespace CodeRunner.Engine.Docker;

/// <summary>The labels on every container and network the engine creates.</summary>
internal static class Labels
{
    public const string Managed = "coderunner.managed";
    public const string Owner = "coderunner.owner";
    public const string Role = "coderunner.role";
    public const string Pool = "coderunner.pool";
    public const string Session = "coderunner.session";
    public const string Kit = "coderunner.kit";

    public const string RolePool = "pool";
    public const string RoleNetwork = "network";
    public const string RoleHolder = "holder";
    public const string RoleSession = "session";
    public const string RoleSql = "sql";

    /// <summary>This process as "host/pid/start-ticks", so that a later process can tell its leftovers are orphans.</summary>
    public static readonly string ProcessOwner = DescribeOwner();

    /// <summary>True when the owner label names a process on this host that no longer runs.</summary>
    public static bool IsOrphan(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(Owner, out var owner))
        {
            return true;
        }

        var parts = owner.Split('/');
        if (parts.Length < 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid))
        {
            return false; // another host's resources: not ours to judge
        }

        return StartTicks(pid) != parts[2];
    }

    private static string DescribeOwner()
    {
        var pid = Environment.ProcessId;
        return $"{Environment.MachineName}/{pid}/{StartTicks(pid)}";
    }

    /// <summary>
    /// When the process started, in clock ticks since boot (field 22 of /proc/PID/stat): exact and stable, unlike
    /// a wall-clock start time derived from it, so that a reused PID is never mistaken for the owner.
    /// </summary>
    private static string? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return afterName[19]; // fields 3.. follow the name; starttime is field 22
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// The labels of one engine: its owner label is the process's, plus an id of its own, so that an engine removes
/// exactly what it created even when several share a process (as in tests).
/// </summary>
internal sealed class EngineLabels
{
    public string Owner { get; } = $"{Labels.ProcessOwner}/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// The labels of one resource: its role; the runtime pool it belongs to; the network-mode kit it belongs to; and the
    /// engine session (<see cref="Sessions.IEngineSession.Id"/>) it was made for, when one asked for it.
    /// </summary>
    public Dictionary<string, string> For(string role, string? pool = null, string? kit = null, string? session = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Labels.Managed] = "true",
            [Labels.Owner] = Owner,
            [Labels.Role] = role,
        };
        if (pool is not null)
        {
            labels[Labels.Pool] = pool;
        }

        if (kit is not null)
        {
            labels[Labels.Kit] = kit;
        }

        if (session is not null)
        {
            labels[Labels.Session] = session;
        }

        return labels;
    }
}
