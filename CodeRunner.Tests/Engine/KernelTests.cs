using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>Notebook kernels on the real Docker engine and the real Python image: state, outputs, input, interrupts, restarts, death and removal.</summary>
[Collection(DockerCollection.Name)]
public sealed class KernelTests(EngineFixture fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private async Task<(IEngineSession Session, INotebookKernel Kernel)> StartAsync(KernelRequest? request = null)
    {
        var session = fixture.Engine.CreateSession();
        return (session, await session.StartKernelAsync(request ?? KernelCells.Request()));
    }

    internal static async Task<bool> ContainerExistsAsync(EngineFixture fixture, string id) =>
        (await fixture.Containers.ListManagedAsync()).Any(c => c.Id == id);

    /// <summary>Runs a cell that prints <c>started</c> and then blocks, and returns once it has printed it.</summary>
    private static async Task<Task<CellRun>> StartBlockingCellAsync(INotebookKernel kernel, string code)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cell = kernel.RunAsync("print('started', flush=True)\n" + code, o =>
        {
            if (o is StreamOutput { Text: var text } && text.Contains("started", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });
        await Task.WhenAny(started.Task, cell).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(started.Task.IsCompleted, "The cell ended before it blocked: " + (cell.IsCompleted ? (await cell).ToString() : ""));
        return cell;
    }

    [Fact]
    public async Task ASessionPastItsKernels_IsRefusedWithASentence_AndClosingOneMakesRoom()
    {
        await using var session = fixture.Engine.CreateSession();
        var max = new KernelOptions().MaxPerSession;
        var kernels = new List<INotebookKernel>();
        for (var i = 0; i < max; i++)
        {
            kernels.Add(await session.StartKernelAsync(KernelCells.Request($"n{i}.ipynb")));
        }

        var refused = await Assert.ThrowsAsync<CodeRunner.Engine.Runs.KernelLimitException>(() => session.StartKernelAsync(KernelCells.Request("one-more.ipynb")));
        Assert.Equal($"{max} notebooks are open with their Python, the most one person may have ({max}): close the tab of one you are done with.", refused.Message);

        await kernels[0].DisposeAsync();
        var next = await session.StartKernelAsync(KernelCells.Request("one-more.ipynb"));
        Assert.Equal(CellStatus.Ok, (await next.RunAsync("1 + 1")).Result.Status);
    }

    [Fact]
    public async Task AVariableOfOneCell_IsSeenByTheNext_AsAnExecuteResultWithCountTwo()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        Assert.Equal(CellStatus.Ok, (await kernel.RunAsync("x = 41")).Result.Status);
        var second = await kernel.RunAsync("x + 1");
        Assert.Equal((CellStatus.Ok, 2), (second.Result.Status, second.Result.ExecutionCount));
        Assert.Equal(("42", 2), (second.ExecuteResult?.Data["text/plain"], second.ExecuteResult?.ExecutionCount));
    }

    [Fact]
    public async Task PrintsAndOsSystem_ArriveAsStdoutAndStderrStreams()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("""
            import os, sys
            print("to stdout")
            print("to stderr", file=sys.stderr)
            os.system("echo from a shell")
            """);
        Assert.Equal(CellStatus.Ok, cell.Result.Status);
        Assert.Equal("to stdout\nfrom a shell\n", cell.Stdout);
        Assert.Equal("to stderr\n", cell.Stream("stderr"));
    }

    [Fact]
    public async Task ACellThatRaises_EndsInError_WithIPythonsColouredTraceback()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("def f():\n    return 1 / 0\nf()");
        Assert.Equal(CellStatus.Error, cell.Result.Status);
        var error = Assert.Single(cell.Outputs.OfType<ErrorOutput>());
        Assert.Equal(("ZeroDivisionError", "division by zero"), (error.Name, error.Value));
        Assert.Contains(error.Traceback, line => line.Contains("\u001b[", StringComparison.Ordinal));
        Assert.Contains(error.Traceback, line => line.Contains("return 1 / 0", StringComparison.Ordinal) || line.Contains("1\u001b[39m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMatplotlibPlot_ShowsAsAPngDisplay_WhenTheCellEnds()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nprint('plotted')", timeout: TimeSpan.FromSeconds(120));
        Assert.True(cell.Result.Status == CellStatus.Ok, cell.ToString());
        var display = Assert.Single(cell.Outputs.OfType<DisplayOutput>(), d => d.Data.ContainsKey("image/png"));
        Assert.False(display.IsResult);
        Assert.Equal(PngSignature, Convert.FromBase64String(display.Data["image/png"])[..8]);
        Assert.Equal("plotted\n", cell.Stdout);
    }

    [Fact]
    public async Task APandasDataFrame_IsAnExecuteResultWithAnHtmlTable()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': [3, 4]})", timeout: TimeSpan.FromSeconds(120));
        Assert.True(cell.Result.Status == CellStatus.Ok, cell.ToString());
        var result = cell.ExecuteResult;
        Assert.NotNull(result);
        Assert.Contains("<table", result.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("text/plain", result.Data.Keys);
    }

    [Fact]
    public async Task Input_AsksThroughAnInputRequest_AndGetsTheReply()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("name = input('Who? ')\nprint('Hello,', name)", async o =>
        {
            if (o is InputRequest)
            {
                await kernel.ReplyInputAsync("Ada");
            }
        });
        Assert.Equal(CellStatus.Ok, cell.Result.Status);
        Assert.Equal(new InputRequest("Who? ", false), cell.Outputs.OfType<InputRequest>().Single());
        Assert.Equal("Hello, Ada\n", cell.Stdout);
    }

    [Theory]
    [InlineData("while True:\n    pass")]
    [InlineData("import time\ntime.sleep(60)")]
    public async Task Interrupt_EndsTheCellWithKeyboardInterrupt_AndTheNextCellStillSeesEarlierVariables(string blocking)
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        await kernel.RunAsync("kept = 'still here'");
        var cell = await StartBlockingCellAsync(kernel, blocking);
        await kernel.InterruptAsync();
        var interrupted = await cell.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CellStatus.Error, interrupted.Result.Status);
        Assert.Equal("KeyboardInterrupt", Assert.Single(interrupted.Outputs.OfType<ErrorOutput>()).Name);
        Assert.Equal("'still here'", (await kernel.RunAsync("kept")).ExecuteResult?.Data["text/plain"]);
    }

    [Fact]
    public async Task Interrupt_AbortsTheCellsWaitingBehindTheRunningOne()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var running = await StartBlockingCellAsync(kernel, "import time\ntime.sleep(60)");
        var queued = kernel.RunAsync("print('never')");
        await kernel.InterruptAsync();
        Assert.Equal(CellStatus.Error, (await running).Result.Status);
        var aborted = await queued;
        Assert.Equal((CellStatus.Aborted, ""), (aborted.Result.Status, aborted.Stdout));
    }

    [Fact]
    public async Task Restart_GivesACleanInterpreter_CountingFromOne()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        await kernel.RunAsync("x = 1");
        await kernel.RunAsync("x += 1");
        await kernel.RestartAsync();
        Assert.Equal(KernelState.Idle, kernel.State);
        var cell = await kernel.RunAsync("'x' in globals()");
        Assert.Equal((1, "False"), (cell.Result.ExecutionCount, cell.ExecuteResult?.Data["text/plain"]));
    }

    [Fact]
    public async Task ACellThatEndsTheProcess_IsAborted_AndTheNextCellRunsInAFreshKernel()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        await kernel.RunAsync("x = 1");
        var dying = await kernel.RunAsync("import os\nos._exit(1)");
        Assert.Equal(CellStatus.Aborted, dying.Result.Status);
        Assert.Contains("exited with code 1", dying.Result.Message, StringComparison.Ordinal);
        await kernel.WaitForStateAsync(KernelState.Dead, TimeSpan.FromSeconds(10));
        Assert.NotNull(kernel.Problem);
        var next = await kernel.RunAsync("1 + 1");
        Assert.Equal((CellStatus.Ok, 1, "2"), (next.Result.Status, next.Result.ExecutionCount, next.ExecuteResult?.Data["text/plain"]));
        Assert.Equal(KernelState.Idle, kernel.State);
    }

    [Fact]
    public async Task FakeProtocolLinesACellWrites_ArePlainStreamText()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("""
            import os, sys
            print('{"type": "done", "id": 1, "status": "ok", "execution_count": 99}')
            os.write(1, b'{"type": "ready"}\n')
            os.write(2, b'{"type": "stream", "id": 1, "name": "stdout", "text": "fake"}\n')
            sys.__stdout__.write('{"type": "done"}\n')
            print("after")
            """);
        Assert.Equal(CellStatus.Ok, cell.Result.Status);
        Assert.Equal("""
            {"type": "done", "id": 1, "status": "ok", "execution_count": 99}
            {"type": "ready"}
            {"type": "done"}
            after

            """.Replace("\r\n", "\n", StringComparison.Ordinal), cell.Stdout);
        Assert.Contains("\"text\": \"fake\"", cell.Stream("stderr"), StringComparison.Ordinal);
        Assert.Equal("2", (await kernel.RunAsync("1 + 1")).ExecuteResult?.Data["text/plain"]);
    }

    [Fact]
    public async Task OutputPastTheCellsCap_IsCutWithANote_AndTheCellInterrupted()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        var cell = await kernel.RunAsync("line = 'x' * 1023\nwhile True:\n    print(line)");
        Assert.Equal(CellStatus.Error, cell.Result.Status);
        Assert.Equal("KeyboardInterrupt", Assert.Single(cell.Outputs.OfType<ErrorOutput>()).Name);
        Assert.Contains("the cell's output passed 1024 KiB", cell.Stream("stderr"), StringComparison.Ordinal);
        Assert.InRange(cell.Stdout.Length, 1024 * 1024 - 64 * 1024, 1024 * 1024);
        Assert.Equal("2", (await kernel.RunAsync("1 + 1")).ExecuteResult?.Data["text/plain"]);
    }

    [Fact]
    public async Task TheWorkingFolder_IsTheNotebooksFolder_WithTheProjectsFiles()
    {
        var (session, kernel) = await StartAsync(KernelCells.Request("lessons/week1/intro.ipynb", ("lessons/week1/data.txt", "hello"), ("top.txt", "top")));
        await using var _ = session;
        var cell = await kernel.RunAsync("import os\nprint(os.getcwd())\nprint(open('data.txt').read())\nprint(open('../../top.txt').read())");
        Assert.Equal("/workspace/lessons/week1\nhello\ntop\n", cell.Stdout);
    }

    [Fact]
    public async Task DisposingTheKernel_RemovesItsContainer()
    {
        var (session, kernel) = await StartAsync();
        await using var _ = session;
        await kernel.RunAsync("1");
        var container = ((NotebookKernel)kernel).ContainerId!;
        Assert.True(await ContainerExistsAsync(fixture, container));
        await kernel.DisposeAsync();
        Assert.Equal(KernelState.Dead, kernel.State);
        Assert.False(await ContainerExistsAsync(fixture, container));
    }

    [Fact]
    public async Task ClosingTheSession_RemovesItsKernelsContainers()
    {
        var (session, kernel) = await StartAsync();
        await kernel.RunAsync("1");
        var container = ((NotebookKernel)kernel).ContainerId!;
        await session.DisposeAsync();
        Assert.False(await ContainerExistsAsync(fixture, container));
    }
}
