using System.Diagnostics;

namespace CodeRunner.Engine.Docker;

/// <summary>The labels on every container and network the engine creates.</summary>
internal static class Labels
{
    public const string Managed = "coderunner.managed";
    public const string Owner = "coderunner.owner";
    public const string Role = "coderunner.role";
    public const string Pool = "coderunner.pool";
    public const string Session = "coderunner.session";

    public const string RolePool = "pool";
    public const string RoleHolder = "holder";
    public const string RoleSession = "session";

    /// <summary>This process as "host/pid/start-ticks", so that a later process can tell its leftovers are orphans.</summary>
    public static readonly string ThisOwner = DescribeOwner();

    public static Dictionary<string, string> For(string role, string? pool = null, string? session = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Managed] = "true",
            [Owner] = ThisOwner,
            [Role] = role,
        };
        if (pool is not null)
        {
            labels[Pool] = pool;
        }

        if (session is not null)
        {
            labels[Session] = session;
        }

        return labels;
    }

    /// <summary>True when the owner label names a process on this host that no longer runs.</summary>
    public static bool IsOrphan(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(Owner, out var owner))
        {
            return true;
        }

        if (owner == ThisOwner)
        {
            return false;
        }

        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid))
        {
            return false; // another host's resources: not ours to judge
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks.ToString() != parts[2];
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static string DescribeOwner()
    {
        using var self = Process.GetCurrentProcess();
        return $"{Environment.MachineName}/{self.Id}/{self.StartTime.ToUniversalTime().Ticks}";
    }
}
