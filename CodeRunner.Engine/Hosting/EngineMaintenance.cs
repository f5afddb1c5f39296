using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Hosting;

/// <summary>
/// Keeps the engine current while the host runs: notices Docker going away and coming back, keeps pools and network
/// kits full, checks the firewall rules, and sweeps idle sessions' networks and what dead engines left.
/// </summary>
internal sealed class EngineMaintenance(ExecutionEngine engine, ILogger<EngineMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = engine.Options;
        var lastSweep = Stopwatch.GetTimestamp();
        var lastFirewallCheck = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(options.FirewallCheckInterval < LongestInterval ? options.FirewallCheckInterval : LongestInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!engine.Connected)
                {
                    if (await engine.ConnectAsync(stoppingToken).ConfigureAwait(false))
                    {
                        Log.DockerBack(logger);
                        await engine.ForgetSessionNetworksAsync().ConfigureAwait(false);
                        await engine.CheckFirewallAsync(stoppingToken).ConfigureAwait(false); // Docker may have rewritten tables
                    }

                    continue;
                }

                if (!await engine.PingAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                engine.KeepPoolsFull();
                if (Stopwatch.GetElapsedTime(lastFirewallCheck) >= options.FirewallCheckInterval)
                {
                    lastFirewallCheck = Stopwatch.GetTimestamp();
                    await engine.CheckFirewallAsync(stoppingToken).ConfigureAwait(false);
                }

                if (Stopwatch.GetElapsedTime(lastSweep) >= options.SweepInterval)
                {
                    lastSweep = Stopwatch.GetTimestamp();
                    await engine.SweepAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
