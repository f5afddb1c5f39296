namespace CodeRunner.Engine.Notebooks;

/// <summary>A cell in the queue, then running: its code, where its outputs go, and its result.</summary>
internal sealed class KernelCell(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<CellResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inputPending;
    private KernelProcess? _process;
    private int _interrupted;

    public string Code => code;
    public Func<KernelOutput, ValueTask> Output => output;
    public CancellationToken CancellationToken => cancellationToken;
    public Task<CellResult> Result => _result.Task;

    /// <summary>The interpreter the cell runs in, once it runs (set after <see cref="Id"/>).</summary>
    public KernelProcess? Process
    {
        get => Volatile.Read(ref _process);
        set => Volatile.Write(ref _process, value);
    }

    /// <summary>The id the interpreter knows the cell by, once it runs.</summary>
    public long Id { get; set; }

    /// <summary>An interrupt came while the kernel started for it: it does not run.</summary>
    public bool Interrupted
    {
        get => Volatile.Read(ref _interrupted) != 0;
        set => Volatile.Write(ref _interrupted, value ? 1 : 0);
    }

    public void ExpectInput() => Interlocked.Exchange(ref _inputPending, 1);

    /// <summary>True once per input request: a second reply to one request is dropped.</summary>
    public bool TakeInputRequest() => Interlocked.Exchange(ref _inputPending, 0) == 1;

    public void Finish(CellResult result) => _result.TrySetResult(result);
}
