using System.Diagnostics;
using System.Text;

namespace CodeRunner.Engine.Networking;

/// <summary>
/// The firewall rules that keep network-mode programs inside their session. Every session bridge's host interface
/// starts with a prefix that says its egress (<see cref="NoEgressPrefix"/> or <see cref="InternetPrefix"/>), so a
/// fixed set of rules covers every session of every engine on the host, whatever each engine's setting:
/// <list type="bullet">
/// <item>From a bridge without egress, nothing is routed at all: not to the host, the LAN, other Docker networks, other
/// sessions or the Internet. The session's own programs share one network namespace, so they never need it.</item>
/// <item>From a bridge with Internet egress, nothing is routed to the host's own addresses, to private, link-local,
/// loopback, shared, benchmark (the default session range), multicast or reserved ranges, or to another session;
/// nothing from those ranges is routed in.</item>
/// </list>
/// The rules live in chains of their own in the mangle table, jumped to first from PREROUTING and FORWARD: that table
/// runs before Docker's filter rules, which Docker rewrites each time it makes a network (and for that moment forwards
/// between bridges), and Docker never touches it. They are written with iptables-restore, which replaces a chain in one
/// step, and checked again with iptables-save; DROP is used because the mangle table cannot REJECT.
/// </summary>
/// <param name="toolDirectory">Where iptables and its siblings are; null means the PATH (tests point it at a host without them).</param>
internal sealed class HostFirewall(string? toolDirectory = null)
{
    /// <summary>Host interfaces of session networks without egress (the default).</summary>
    public const string NoEgressPrefix = "cr-";

    /// <summary>Host interfaces of session networks with Internet egress.</summary>
    public const string InternetPrefix = "ci-";

    private const string PreroutingChain = "CODERUNNER-PREROUTING";
    private const string ForwardChain = "CODERUNNER-FORWARD";

    private static readonly Family[] Families =
    [
        new("iptables",
        [
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        ]),
        new("ip6tables", ["::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "fc00::/7", "fe80::/10", "ff00::/8"]),
    ];

    /// <summary>What iptables-save printed for our chains after we wrote them, per family: what a check compares with.</summary>
    private readonly Dictionary<string, string> _written = [];

    /// <summary>Writes the rules unless they are in place; null when they are, else why they are not, in a sentence.</summary>
    public async Task<string?> EnsureAsync(CancellationToken cancellationToken = default)
    {
        // A host without IPv6 has no IPv6 traffic to stop (and ip6tables may fail there).
        foreach (var family in Families.Where(f => f.Tool != "ip6tables" || File.Exists("/proc/net/if_inet6")))
        {
            if (await EnsureAsync(family, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private async Task<string?> EnsureAsync(Family family, CancellationToken cancellationToken)
    {
        try
        {
            var saved = await SaveAsync(family, cancellationToken).ConfigureAwait(false);
            if (_written.TryGetValue(family.Tool, out var written) && InPlace(saved, written))
            {
                return null;
            }

            await RunAsync(family.Tool + "-restore", ["--noflush"], Snippet(family), cancellationToken).ConfigureAwait(false);
            foreach (var (builtin, chain) in new[] { ("PREROUTING", PreroutingChain), ("FORWARD", ForwardChain) })
            {
                if (!JumpsFirst(await SaveAsync(family, cancellationToken).ConfigureAwait(false), builtin, chain))
                {
                    // Ours must come first: a rule before it that accepts would let traffic past.
                    while (await TryRunAsync(family.Tool, ["-t", "mangle", "-D", builtin, "-j", chain], cancellationToken).ConfigureAwait(false))
                    {
                    }

                    await RunAsync(family.Tool, ["-t", "mangle", "-I", builtin, "1", "-j", chain], null, cancellationToken).ConfigureAwait(false);
                }
            }

            saved = await SaveAsync(family, cancellationToken).ConfigureAwait(false);
            written = OurLines(saved);
            if (!InPlace(saved, written))
            {
                return $"{family.Tool} did not keep the rules it was given.";
            }

            _written[family.Tool] = written;
            return null;
        }
        catch (FirewallException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The rules of one address family, for iptables-restore: declaring a chain empties it first.</summary>
    private static string Snippet(Family family)
    {
        var rules = new StringBuilder("*mangle\n")
            .Append(CultureInvariant($":{PreroutingChain} - [0:0]\n:{ForwardChain} - [0:0]\n"))
            .Append(CultureInvariant($"-A {PreroutingChain} -i {NoEgressPrefix}+ -j DROP\n"))
            .Append(CultureInvariant($"-A {ForwardChain} -o {NoEgressPrefix}+ -j DROP\n"))
            .Append(CultureInvariant($"-A {PreroutingChain} -i {InternetPrefix}+ -m addrtype --dst-type LOCAL -j DROP\n"))
            .Append(CultureInvariant($"-A {ForwardChain} -i {InternetPrefix}+ -o {InternetPrefix}+ -j DROP\n"));
        foreach (var range in family.Blocked)
        {
            rules.Append(CultureInvariant($"-A {PreroutingChain} -i {InternetPrefix}+ -d {range} -j DROP\n"))
                .Append(CultureInvariant($"-A {ForwardChain} -o {InternetPrefix}+ -s {range} -j DROP\n"));
        }

        return rules.Append("COMMIT\n").ToString();
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static bool InPlace(string saved, string written) =>
        written.Length > 0 && OurLines(saved) == written && JumpsFirst(saved, "PREROUTING", PreroutingChain)
        && JumpsFirst(saved, "FORWARD", ForwardChain);

    /// <summary>The rules of our chains as iptables-save prints them (its own spelling, which differs from ours).</summary>
    private static string OurLines(string saved) => string.Join('\n', saved.Split('\n')
        .Where(l => l.StartsWith($"-A {PreroutingChain} ", StringComparison.Ordinal) || l.StartsWith($"-A {ForwardChain} ", StringComparison.Ordinal)));

    private static bool JumpsFirst(string saved, string builtin, string chain) =>
        saved.Split('\n').FirstOrDefault(l => l.StartsWith($"-A {builtin} ", StringComparison.Ordinal)) == $"-A {builtin} -j {chain}";

    private Task<string> SaveAsync(Family family, CancellationToken cancellationToken) =>
        RunAsync(family.Tool + "-save", ["-t", "mangle"], null, cancellationToken);

    private async Task<bool> TryRunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(tool, arguments, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (FirewallException)
        {
            return false;
        }
    }

    /// <summary>Runs the tool and returns what it printed; throws with its error when it fails or cannot start.</summary>
    private async Task<string> RunAsync(string tool, string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(toolDirectory is null ? tool : Path.Combine(toolDirectory, tool))
        {
            RedirectStandardInput = input is not null,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new FirewallException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FirewallException($"{tool} cannot be run ({ex.Message}).");
        }

        using (process)
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new FirewallException($"{tool} {string.Join(' ', arguments)} failed: {(await error.ConfigureAwait(false)).Trim()}");
            }

            return await output.ConfigureAwait(false);
        }
    }

    /// <summary>An address family's tool and the ranges that Internet egress never reaches.</summary>
    private sealed record Family(string Tool, string[] Blocked);

    private sealed class FirewallException(string message) : Exception(message);
}
