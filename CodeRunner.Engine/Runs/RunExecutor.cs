using System.Diagnostics;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Runs;

/// <summary>Where a run gets its container and where the container goes afterwards: a warm pool or a session's network.</summary>
internal interface IContainerSource
{
    Task<RuntimeContainer> AcquireAsync(Runtime runtime, Run run, CancellationToken cancellationToken);

    /// <summary>The verdict is out; the agent is resetting the container, which comes back in a moment.</summary>
    void RunFinished(RuntimeContainer container);

    /// <summary>Takes the container back: reset and reusable, or to be destroyed.</summary>
    void Release(RuntimeContainer container, bool reusable);
}

/// <summary>Carries one run from acquiring a container to its verdict, then hands the container back.</summary>
internal static class RunExecutor
{
    /// <summary>How long past its own timeout a run may go without the agent's verdict before the container is given up.</summary>
    private static readonly TimeSpan AgentGrace = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(15);

    public static async Task ExecuteAsync(Run run, IContainerSource source, int maxRunsPerContainer, ILogger logger)
    {
        RuntimeContainer? container = null;
        AgentExit? exit = null;
        var started = 0L;
        RunVerdict verdict;
        var runtime = run.Plan.Language.Runtime;
        try
        {
            container = await source.AcquireAsync(runtime, run, run.StopToken).ConfigureAwait(false);
            container.Runs++;
            started = Stopwatch.GetTimestamp();
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
        Log.RunFinished(logger, run.Id, run.Language, verdict.Summary);
        if (container is not null)
        {
            source.RunFinished(container);
            await RecycleAsync(container, exit, source, maxRunsPerContainer, logger).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the agent's reset and returns the container, or has it destroyed.</summary>
    private static async Task RecycleAsync(RuntimeContainer container, AgentExit? exit, IContainerSource source, int maxRuns,
        ILogger logger)
    {
        var reusable = exit is { } e
                       && (e.Flags & (ExitFlags.TimedOut | ExitFlags.OutOfMemory)) == 0
                       && container.Runs < maxRuns;
        if (reusable)
        {
            try
            {
                var ready = await container.Agent.WaitReadyAsync().WaitAsync(ResetTimeout).ConfigureAwait(false);
                if (!ready.Ok && container.Agent.IsOpen)
                {
                    Log.ResetFailed(logger, Log.Short(container.Id), ready.Problem ?? "unknown");
                }

                reusable = ready.Ok;
            }
            catch (TimeoutException)
            {
                Log.ResetFailed(logger, Log.Short(container.Id), "no answer");
                reusable = false;
            }
        }

        source.Release(container, reusable);
    }
}
