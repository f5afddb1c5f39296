using System.Diagnostics;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine;

/// <summary>
/// Keeps network-mode containers away from services on this host, such as the IDE's own port or a Docker API on
/// TCP, even when they listen on every interface. Docker does not: a container reaches its host through the bridge
/// gateway. Every session bridge's host interface starts with the same prefix, so one rule per address family covers
/// them all: traffic that arrives from such an interface for the host itself is rejected.
/// </summary>
internal sealed class HostFirewall(ILogger logger)
{
    private static readonly string[] Rule = ["INPUT", "-i", NetworkKit.BridgePrefix + "+", "-j", "REJECT"];

    /// <summary>Adds the rule unless it is there; true when it is in place for IPv4.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var inPlace = false;
        foreach (var tool in new[] { "iptables", "ip6tables" })
        {
            try
            {
                if (await RunAsync(tool, ["-C", .. Rule], cancellationToken).ConfigureAwait(false) != 0
                    && await RunAsync(tool, ["-I", .. Rule], cancellationToken).ConfigureAwait(false) != 0)
                {
                    throw new InvalidOperationException($"{tool} refused the rule");
                }

                inPlace |= tool == "iptables";
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                if (tool == "iptables")
                {
                    Log.HostFirewallMissing(logger, ex.Message, $"{tool} -I {string.Join(' ', Rule)}");
                }
            }
        }

        return inPlace;
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
}
