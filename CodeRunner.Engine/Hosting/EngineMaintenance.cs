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

    private long _lastSweep = Stopwatch.GetTimestamp();
    private long _lastFirewallCheck = Stopwatch.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = engine.Options.FirewallCheckInterval < LongestInterval ? engine.Options.FirewallCheckInterval : LongestInterval;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await TickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A BackgroundService that throws stops the host: one failed round must not take the IDE down.
                    Log.MaintenanceFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var options = engine.Options;
        if (!engine.Connected)
        {
            if (await engine.ConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.DockerBack(logger);
                await engine.ForgetSessionNetworksAsync().ConfigureAwait(false);
                await engine.CheckFirewallAsync(cancellationToken).ConfigureAwait(false); // Docker may have rewritten tables
            }

            return;
        }

        if (!await engine.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        engine.KeepPoolsFull();
        if (Stopwatch.GetElapsedTime(_lastFirewallCheck) >= options.FirewallCheckInterval)
        {
            _lastFirewallCheck = Stopwatch.GetTimestamp();
            await engine.CheckFirewallAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Stopwatch.GetElapsedTime(_lastSweep) >= options.SweepInterval)
        {
            _lastSweep = Stopwatch.GetTimestamp();
            await engine.SweepAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
