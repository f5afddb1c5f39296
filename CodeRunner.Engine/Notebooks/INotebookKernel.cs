namespace CodeRunner.Engine.Notebooks;

/// <summary>What a kernel is doing, as Jupyter names it.</summary>
public enum KernelState
{
    /// <summary>Waiting for a container, or the interpreter is loading.</summary>
    Starting,

    /// <summary>Ready for a cell.</summary>
    Idle,

    /// <summary>Running a cell.</summary>
    Busy,

    /// <summary>Gone: the idle timeout, a crash, or it was closed. <see cref="INotebookKernel.Problem"/> says why; a restart brings it back.</summary>
    Dead,
}

/// <summary>How a cell's execution ended.</summary>
public enum CellStatus
{
    /// <summary>The cell ran to its end.</summary>
    Ok,

    /// <summary>The cell raised; its <see cref="ErrorOutput"/> is among the outputs. An interrupt ends as an error too, a <c>KeyboardInterrupt</c>.</summary>
    Error,

    /// <summary>The kernel died or was restarted while the cell ran, or it never started.</summary>
    Aborted,
}

/// <summary>The end of one cell's execution.</summary>
/// <param name="ExecutionCount">The kernel's count for this cell (1 for the first cell after a start or restart); null when aborted before it ran.</param>
/// <param name="Message">For <see cref="CellStatus.Aborted"/>, a sentence for the student.</param>
public sealed record CellResult(CellStatus Status, int? ExecutionCount, string? Message = null);

/// <summary>
/// A Python interpreter that keeps its state between cells: IPython in a container of its own, with the limits and
/// isolation of every run. It goes after <see cref="KernelOptions.IdleTimeout"/> without a cell, or when disposed.
/// </summary>
public interface INotebookKernel : IAsyncDisposable
{
    string Id { get; }

    KernelState State { get; }

    /// <summary>Why the kernel is <see cref="KernelState.Dead"/>, as a sentence; else null.</summary>
    string? Problem { get; }

    /// <summary>Raised on every change of <see cref="State"/>, on any thread.</summary>
    event Action<KernelState>? StateChanged;

    /// <summary>
    /// Runs one cell: waits for the cells before it, then streams each output to <paramref name="output"/> in order
    /// (an <see cref="InputRequest"/> waits for <see cref="ReplyInputAsync"/>). A dead kernel is started again first.
    /// Cancelling interrupts the cell.
    /// </summary>
    Task<CellResult> ExecuteAsync(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken = default);

    /// <summary>Answers the pending <see cref="InputRequest"/> of the running cell.</summary>
    ValueTask ReplyInputAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Sends SIGINT: the running cell ends with a <c>KeyboardInterrupt</c> and the kernel lives on. Queued cells are aborted.</summary>
    ValueTask InterruptAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the interpreter (aborting what runs or waits) and starts a clean one; the workspace's files stay.</summary>
    Task RestartAsync(CancellationToken cancellationToken = default);
}
