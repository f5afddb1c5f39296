using System.Diagnostics;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Runs;

/// <summary>Carries one run from acquiring a container to its verdict, then hands the container back.</summary>
internal static class RunExecutor
{
    /// <summary>How long past its own timeout a run may go without the agent's verdict before the container is given up.</summary>
    private static readonly TimeSpan AgentGrace = TimeSpan.FromSeconds(15);

    /// <param name="queuedAt">When the run asked to start (<see cref="Stopwatch.GetTimestamp"/>), for its queue wait.</param>
    public static async Task ExecuteAsync(Run run, ContainerRequest request, IContainerSource source, int maxRunsPerContainer, long queuedAt,
        EngineMetrics metrics, ILogger logger)
    {
        RuntimeContainer? container = null;
        AgentExit? exit = null;
        var started = 0L;
        RunVerdict verdict;
        try
        {
            container = await source.AcquireAsync(request, run.StopToken).ConfigureAwait(false);
            container.Runs++;
            started = Stopwatch.GetTimestamp();
            metrics.RunStarted(run.Language, Stopwatch.GetElapsedTime(queuedAt, started));
            await run.StartAsync(container.Agent).ConfigureAwait(false);
            exit = await run.Exit.WaitAsync(run.Plan.Timeout + AgentGrace).ConfigureAwait(false);
            verdict = exit is { } e
                ? run.VerdictFor(e)
                : new RunVerdict { Error = $"The {run.Plan.Language.DisplayName} container was lost during the run ({run.LostReason}). Run it again." };
        }
        catch (Exception ex) when (run.StopRequested)
        {
            // Stopped, or its session closed: whatever that interrupted (a session network removed under a container
            // being created for it, say) is a consequence of the stop, not a failure.
            Log.RunStoppedEarly(logger, run.Id, ex.Message);
            verdict = new RunVerdict { Stopped = true };
        }
        catch (TimeoutException ex) when (container is not null)
        {
            // The program ran to its time limit and the agent could not end it in time (a fork bomb can starve it on a
            // saturated machine). Removing the container kills everything in it: the program timed out.
            Log.AgentUnresponsive(logger, Log.Short(container.Id), ex.Message);
            run.System("the program ran past its time limit and its container stopped answering, so the container was removed");
            verdict = new RunVerdict { TimedOut = true, Signal = 9, WallTime = Stopwatch.GetElapsedTime(started) };
        }
        catch (Exception ex) when (ex is DockerUnavailableException or TimeoutException or IOException)
        {
            verdict = new RunVerdict { Error = ex.Message };
        }
        catch (Exception ex)
        {
            Log.RunFailed(logger, run.Id, ex);
            verdict = new RunVerdict { Error = $"The engine could not run the program: {ex.Message}" };
        }

        run.Complete(verdict);
        metrics.RunEnded(run.Language, "program", EngineMetrics.OutcomeOf(verdict), started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started));
        Log.RunFinished(logger, run.Id, run.Language, verdict.Summary);
        if (container is not null)
        {
            // A container that timed out or ran out of memory may hold a process the agent cannot end: never reuse it.
            var reusable = exit is { } e && (e.Flags & (ExitFlags.TimedOut | ExitFlags.OutOfMemory)) == 0 && container.Runs < maxRunsPerContainer;
            await source.ReleaseAsync(container, reusable).ConfigureAwait(false);
        }
    }
}
