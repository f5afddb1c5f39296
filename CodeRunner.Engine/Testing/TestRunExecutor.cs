using CodeRunner.Engine.Agent;
using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Testing;

/// <summary>Carries one test run from acquiring a container to its result, then hands the container back.</summary>
internal static class TestRunExecutor
{
    /// <summary>How long past its own deadline a test run may go without the agent's EXIT before the container is given up.</summary>
    private static readonly TimeSpan AgentGrace = TimeSpan.FromSeconds(15);

    /// <exception cref="OperationCanceledException">Cancelled: the run was killed, and its container reset or removed.</exception>
    /// <param name="queuedAt">When the test run asked to start (<see cref="Stopwatch.GetTimestamp"/>), for its queue wait.</param>
    public static async Task<TestRunResult> ExecuteAsync(TestRun run, ContainerRequest request, IContainerSource source, int maxRunsPerContainer,
        long queuedAt, EngineMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        var language = run.Plan.Program.Language.Id;
        var started = 0L;
        RuntimeContainer? container = null;
        AgentExit? exit = null;
        string? failure = null;
        var caseExits = new List<AgentExit>();
        try
        {
            container = await source.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
            container.Runs += run.Plan.Cases.Count;
            started = Stopwatch.GetTimestamp();
            metrics.RunStarted(language, Stopwatch.GetElapsedTime(queuedAt, started));
            await run.StartAsync(container.Agent, CancellationToken.None).ConfigureAwait(false);
            var agent = container.Agent;
            var runId = run.AgentRunId;
            await using (cancellationToken.Register(() => _ = KillAsync(agent, runId)))
            {
                exit = await run.Exit.WaitAsync(run.Plan.Deadline + AgentGrace, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && container is null)
        {
            throw; // cancelled while it waited for a container: nothing ran
        }
        catch (TimeoutException ex) when (container is not null)
        {
            Log.AgentUnresponsive(logger, Log.Short(container.Id), ex.Message);
            failure = "the test run went past its time limits and its container stopped answering, so the container was removed";
        }
        catch (Exception ex) when (ex is DockerUnavailableException or TimeoutException or IOException)
        {
            failure = ex.Message;
        }
        catch (Exception ex)
        {
            Log.TestRunFailed(logger, run.Id, ex);
            failure = $"The engine could not run the tests: {ex.Message}";
        }
        finally
        {
            if (container is not null)
            {
                // As after any run: a container where something timed out or ran out of memory is never reused.
                var unsafeFlags = ExitFlags.TimedOut | ExitFlags.OutOfMemory | ExitFlags.CpuLimit;
                var reusable = exit is { } e && (e.Flags & unsafeFlags) == 0 && !run.AnyCaseHad(unsafeFlags) && container.Runs < maxRunsPerContainer;
                await source.ReleaseAsync(container, reusable).ConfigureAwait(false);
            }
        }

        var result = await run.FinishAsync(exit, failure).ConfigureAwait(false);
        var outcome = cancellationToken.IsCancellationRequested ? "stopped"
            : failure is not null ? "error"
            : result.CompileFailed ? "compile_error"
            : result.Cases.All(c => c.Outcome == TestOutcome.Passed) ? "succeeded" : "failed";
        metrics.RunEnded(language, "tests", outcome, Stopwatch.GetElapsedTime(started));
        cancellationToken.ThrowIfCancellationRequested();
        Log.TestRunFinished(logger, run.Id, run.Plan.Program.Language.Id, result.Cases.Count(c => c.Outcome == TestOutcome.Passed), result.Cases.Count,
            result.CompileFailed ? " (it did not compile)" : "");
        return result;
    }

    private static async Task KillAsync(AgentConnection agent, uint runId)
    {
        try
        {
            await agent.SendAsync(AgentProtocol.Kill(runId)).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The agent is gone: the run ends through OnAgentLost.
        }
    }
}
