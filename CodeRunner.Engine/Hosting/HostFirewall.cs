using System.Diagnostics;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine;

/// <summary>
/// Keeps network-mode containers away from services on this host and from each other's sessions. Every session
/// bridge's host interface starts with the same prefix, so one rule per address family covers each case.
/// <list type="bullet">
/// <item>The host: Docker lets a container reach its host through the bridge gateway, so a program could reach the
/// IDE's own port or a Docker API on TCP. Traffic from a session bridge for the host itself is rejected.</item>
/// <item>Other sessions: Docker 20.10 isolates bridges with rules in the filter table's FORWARD chain, but each time
/// it creates a network it deletes and re-inserts its jump to them, and for that moment traffic between bridges is
/// forwarded. In a class, networks are made all the time. Traffic from one session bridge to another is dropped
/// in the mangle table, which runs first and which Docker never rewrites.</item>
/// </list>
/// </summary>
internal sealed class HostFirewall(ILogger logger)
{
    private const string Bridges = NetworkKit.BridgePrefix + "+";

    private static readonly FirewallRule[] Rules =
    [
        new("filter", ["INPUT", "-i", Bridges, "-j", "REJECT"],
            "Network-mode containers can reach services on this host (such as the IDE's port)"),
        new("mangle", ["FORWARD", "-i", Bridges, "-o", Bridges, "-j", "DROP"],
            "Network-mode sessions can reach each other for a moment whenever Docker creates a network"),
    ];

    /// <summary>Adds each rule unless it is there; logs what is at risk, and the command, for a rule it cannot add.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        foreach (var rule in Rules)
        {
            foreach (var tool in new[] { "iptables", "ip6tables" })
            {
                // IPv6 is best effort: session networks are IPv4, and a host may have no ip6tables.
                if (await TryEnsureAsync(tool, rule, cancellationToken).ConfigureAwait(false) is { } failure && tool == "iptables")
                {
                    Log.HostFirewallMissing(logger, rule.Risk, failure, $"{tool} -t {rule.Table} -I {string.Join(' ', rule.Spec)}");
                }
            }
        }
    }

    /// <summary>Null when the rule is in place (found, or added now), else why it is not.</summary>
    private static async Task<string?> TryEnsureAsync(string tool, FirewallRule rule, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(tool, ["-t", rule.Table, "-C", .. rule.Spec], cancellationToken).ConfigureAwait(false) == 0
                || await RunAsync(tool, ["-t", rule.Table, "-I", .. rule.Spec], cancellationToken).ConfigureAwait(false) == 0
                ? null
                : $"{tool} refused the rule";
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return ex.Message;
        }
    }

    private static async Task<int> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    private sealed record FirewallRule(string Table, string[] Spec, string Risk);
}
