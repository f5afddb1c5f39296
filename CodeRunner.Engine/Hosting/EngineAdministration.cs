using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Hosting;

/// <inheritdoc cref="IEngineAdministration"/>
internal sealed class EngineAdministration(ExecutionEngine engine, IImageOperations images, ILogger<EngineAdministration> logger) : IEngineAdministration
{
    public EngineOverview GetOverview()
    {
        var pools = engine.Pools.Values
            .Select(p => new PoolOverview(p.Runtime.Name, engine.Options.PoolSize, p.IdleCount,
                Math.Max(0, p.LiveCount - p.IdleCount - p.ResettingCount), p.ResettingCount, p.WaitingCount, p.Drained))
            .OrderBy(p => p.Runtime, StringComparer.Ordinal)
            .ToList();
        var sessions = engine.Sessions
            .Select(s => new SessionOverview(s.Id, s.OpenedAt, s.NetworkName, s.KernelCount, s.SqlDatabase is not null,
                [.. s.ActiveRuns.Select(r => new RunOverview(r.Id, s.Id, r.Language, r.EntryFile))]))
            .OrderBy(s => s.OpenedAt)
            .ToList();
        return new EngineOverview(pools, sessions);
    }

    public async Task<IReadOnlyList<RuntimeImage>> GetImagesAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<RuntimeImage>();
        foreach (var runtime in engine.Catalog.Runtimes.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var facts = await images.InspectAsync(runtime.Image, cancellationToken).ConfigureAwait(false);
            result.Add(new RuntimeImage(runtime.Name, runtime.Image, facts?.Created, facts?.SizeBytes,
                facts is not null && facts.Labels.GetValueOrDefault(RuntimeCatalog.HashLabel) != runtime.Hash));
        }

        return result;
    }

    public bool DrainPool(string runtime, string administrator)
    {
        if (Pool(runtime) is not { } pool)
        {
            return false;
        }

        Log.PoolDrained(logger, administrator, runtime, pool.Drain());
        return true;
    }

    public bool RefillPool(string runtime, string administrator)
    {
        if (Pool(runtime) is not { } pool)
        {
            return false;
        }

        pool.Refill();
        Log.PoolRefilled(logger, administrator, runtime);
        return true;
    }

    public async Task<bool> StopRunAsync(string runId, string administrator, CancellationToken cancellationToken = default)
    {
        foreach (var session in engine.Sessions)
        {
            if (session.ActiveRuns.FirstOrDefault(r => r.Id == runId) is { } run)
            {
                Log.RunStoppedByAdministrator(logger, administrator, run.Id, run.Language, run.EntryFile, session.Id);
                await run.StopAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }

    public async Task<bool> EndSessionAsync(string sessionId, string administrator)
    {
        if (engine.Sessions.FirstOrDefault(s => s.Id == sessionId) is not { } session)
        {
            return false;
        }

        Log.SessionEndedByAdministrator(logger, administrator, sessionId);
        await session.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    private WarmPool? Pool(string runtime) => engine.Pools.Values.FirstOrDefault(p => p.Runtime.Name == runtime);
}
