using CodeRunner.Engine;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Operations;

/// <summary>
/// Docker answers and every runtime image is there: what the engine's maintenance loop last found (it asks Docker every
/// few seconds), so that a monitor polling <c>/readyz</c> never adds load on Docker.
/// </summary>
internal sealed class DockerHealthCheck(IExecutionEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.Problem is { } problem
            ? new HealthCheckResult(context.Registration.FailureStatus, problem)
            : HealthCheckResult.Healthy("Docker answers and every runtime image is present."));
}

/// <summary>
/// Every pool is warm (a container waits for a run) or warming (containers are being made). A pool that should hold
/// containers and owns none is not ready: runs of its language would wait for a creation, or fail.
/// </summary>
internal sealed class PoolsHealthCheck(IExecutionEngine engine, IOptions<EngineOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var target = options.Value.PoolSize;
        var pools = engine.GetStatus().Pools;
        var data = pools.ToDictionary(p => p.Runtime, p => (object)StateOf(p, target));
        var cold = pools.Where(p => target > 0 && p.Live == 0).Select(p => p.Runtime).ToList();
        if (pools.Count == 0)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "No pool is running yet."));
        }

        return Task.FromResult(cold.Count == 0
            ? HealthCheckResult.Healthy($"{pools.Count} pools warm or warming.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"No container in the pool of {string.Join(", ", cold)}.", data: data));
    }

    private static string StateOf(PoolStatus pool, int target) => pool switch
    {
        { Warm: > 0 } => $"warm ({pool.Warm} waiting, {pool.Live} in all)",
        { Live: > 0 } => $"warming ({pool.Live} busy or being made)",
        _ when target == 0 => "on demand (Engine:PoolSize is 0)",
        _ => "cold",
    };
}

/// <summary>
/// The host firewall rules of network mode are in place. Without them network mode is refused (never run open), so the
/// server is only partly usable. When an administrator turned host protection off, there are no rules to check.
/// </summary>
internal sealed class FirewallHealthCheck(IExecutionEngine engine, IOptions<EngineOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.ProtectHost)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Host protection is off (Engine:ProtectHost is false): no rules to check."));
        }

        return Task.FromResult(engine.GetStatus().NetworkProblem is { } problem
            ? new HealthCheckResult(context.Registration.FailureStatus, problem)
            : HealthCheckResult.Healthy("The firewall rules of network mode are in place."));
    }
}
