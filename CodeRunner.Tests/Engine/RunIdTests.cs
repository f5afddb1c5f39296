using CodeRunner.Engine;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>A frame meant for an earlier run never reaches the program of the run that follows it in the container.</summary>
[Collection(DockerCollection.Name)]
public sealed class RunIdTests(EngineFixture fixture)
{
    private const string Echo = "print('A read', input())";

    /// <summary>Waits 3 s for input: prints what came, if anything, and exits 0 unless killed.</summary>
    private const string Wait = """
        import os, select
        os.write(1, b'waiting\n')
        readable, _, _ = select.select([0], [], [], 3)
        print(repr(os.read(0, 100)) if readable else 'no input')
        """;

    [Fact]
    public async Task StdinAndKill_CarryingTheEarlierRunsId_AreIgnoredByTheNextRun()
    {
        var pool = fixture.Internal.Pools.Values.Single(p => p.Runtime.Name == "python");
        var a = Plan("a.py", Echo);
        var container = await pool.AcquireAsync(new ContainerRequest(pool.Runtime, "run-id-test", a));
        try
        {
            await a.StartAsync(container.Agent);
            await a.WriteStdinAsync("hello\n");
            Assert.NotNull(await a.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True((await container.Agent.WaitReadyAsync().WaitAsync(TimeSpan.FromSeconds(30))).Ok);

            var b = Plan("b.py", Wait);
            await b.StartAsync(container.Agent);
            await b.WaitForStdoutAsync("waiting");
            await container.Agent.SendAsync(AgentProtocol.Stdin(a.AgentRunId, "late input for A\n"u8));
            await container.Agent.SendAsync(AgentProtocol.StdinEof(a.AgentRunId));
            await container.Agent.SendAsync(AgentProtocol.Kill(a.AgentRunId));
            var exit = await b.Exit.WaitAsync(TimeSpan.FromSeconds(30));
            b.Complete(b.VerdictFor(exit!.Value));
            var result = await b.CollectAsync();

            Assert.NotEqual(a.AgentRunId, b.AgentRunId);
            Assert.True(result.Verdict.Succeeded, result.ToString());
            Assert.Equal("no input\n", result.Stdout);
        }
        finally
        {
            await pool.ReleaseAsync(container, reusable: false);
        }
    }

    private Run Plan(string entry, string code) =>
        new(RunPlanner.Plan(RunExtensions.Request(entry, code), fixture.Internal.Catalog, new RequestLimits()));
}
