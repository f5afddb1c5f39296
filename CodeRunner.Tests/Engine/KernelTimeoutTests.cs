using CodeRunner.Engine;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeRunner.Tests.Engine;

/// <summary>A kernel's own timeouts, made short on an engine of their own: a long cell is interrupted, an idle kernel goes.</summary>
[Collection(DockerCollection.Name)]
public sealed class KernelTimeoutTests(EngineFixture fixture) : IAsyncLifetime
{
    private IHost? _host;

    private IExecutionEngine Engine => _host!.Services.GetRequiredService<IExecutionEngine>();

    public async Task InitializeAsync()
    {
        var settings = EngineFixture.Settings(poolSize: 1);
        settings["Engine:Kernels:IdleTimeout"] = "00:00:03";
        settings["Engine:Kernels:CellTimeout"] = "00:00:02";
        _host = await EngineFixture.StartHostAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    [Fact]
    public async Task ACellPastTheCellTimeout_IsInterrupted_SayingSo_AndTheKernelLivesOn()
    {
        await using var session = Engine.CreateSession();
        var kernel = await session.StartKernelAsync(KernelCells.Request());
        await kernel.RunAsync("kept = 7");
        var cell = await kernel.RunAsync("while True:\n    pass");
        Assert.Equal(CellStatus.Error, cell.Result.Status);
        Assert.Equal("KeyboardInterrupt", Assert.Single(cell.Outputs.OfType<ErrorOutput>()).Name);
        Assert.Contains("this server's limit", cell.Stream("stderr"), StringComparison.Ordinal);
        Assert.Equal("7", (await kernel.RunAsync("kept")).ExecuteResult?.Data["text/plain"]);
    }

    [Fact]
    public async Task AKernelIdlePastTheIdleTimeout_IsDead_AndItsContainerGone_UntilTheNextCell()
    {
        await using var session = Engine.CreateSession();
        var kernel = await session.StartKernelAsync(KernelCells.Request());
        await kernel.RunAsync("x = 1");
        var container = ((NotebookKernel)kernel).ContainerId!;
        await kernel.WaitForStateAsync(KernelState.Dead, TimeSpan.FromSeconds(20));
        Assert.Contains("without a cell", kernel.Problem, StringComparison.Ordinal);
        Assert.False(await KernelTests.ContainerExistsAsync(fixture, container));
        var next = await kernel.RunAsync("'x' in globals()");
        Assert.Equal((CellStatus.Ok, 1, "False"), (next.Result.Status, next.Result.ExecutionCount, next.ExecuteResult?.Data["text/plain"]));
    }
}
