using CodeRunner.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// Waits for the agent to say that a container is clean again after a run. A reset that fails or does not answer
/// means the container is destroyed; those failures are logged at most once per <see cref="LogInterval"/>, with how
/// many were held back, so that a program that breaks every reset cannot flood the log.
/// </summary>
internal sealed class ContainerReset(EngineMetrics metrics, ILogger<ContainerReset> logger)
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A program can leave a tree as large as its memory allows (some 150,000 entries), which the agent wipes in seconds
    /// of its half CPU on a busy server; past this the container is replaced instead, which is safe but costs a creation.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly LogThrottle _throttle = new(LogInterval);

    /// <summary>True when the container is clean and can run again.</summary>
    public async Task<bool> WaitAsync(RuntimeContainer container, string runtime)
    {
        string problem;
        try
        {
            var ready = await container.Agent.WaitReadyAsync().WaitAsync(Timeout).ConfigureAwait(false);
            if (ready.Ok)
            {
                return true;
            }

            if (!container.Agent.IsOpen)
            {
                return false; // it died: the pool says so when it notices
            }

            problem = ready.Problem ?? "unknown";
        }
        catch (TimeoutException)
        {
            problem = $"no answer within {Timeout.TotalSeconds:0} s";
        }

        metrics.ResetFailed(runtime);
        if (_throttle.TryEnter(out var heldBack))
        {
            Log.ResetFailed(logger, runtime, Log.Short(container.Id), problem, heldBack);
        }

        return false;
    }
}
