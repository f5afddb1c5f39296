using System.Threading.Channels;
using CodeRunner.Engine;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

/// <summary>A run the test drives: it emits output, records stdin and stop requests, and ends with a given verdict.</summary>
public sealed class FakeRunHandle(string entryFile) : IRunHandle
{
    private readonly Channel<ConsoleEvent> _events = Channel.CreateUnbounded<ConsoleEvent>();
    private readonly TaskCompletionSource<RunVerdict> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];
    public string Language => "python";
    public string EntryFile { get; } = entryFile;
    public ChannelReader<ConsoleEvent> Events => _events.Reader;
    public Task<RunVerdict> Completion => _verdict.Task;
    public List<string> Stdin { get; } = [];
    public bool StdinClosed { get; private set; }
    public bool StopRequested { get; private set; }
    public Exception? ThrowOnStdin { get; set; }

    public void Emit(ConsoleStream stream, string text) => _events.Writer.TryWrite(new ConsoleEvent(stream, text));

    public void EmitImage(byte[] png) => _events.Writer.TryWrite(ConsoleEvent.Image(png));

    public void Finish(RunVerdict verdict)
    {
        _events.Writer.TryComplete();
        _verdict.TrySetResult(verdict);
    }

    public ValueTask WriteStdinAsync(string text, CancellationToken cancellationToken = default)
    {
        if (ThrowOnStdin is { } error)
        {
            throw error;
        }

        Stdin.Add(text);
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseStdinAsync(CancellationToken cancellationToken = default)
    {
        StdinClosed = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync(CancellationToken cancellationToken = default)
    {
        StopRequested = true;
        Finish(new RunVerdict { Signal = 9, Stopped = true });
        return ValueTask.CompletedTask;
    }
}

/// <summary>An engine session that records requests and hands out <see cref="FakeRunHandle"/>s, or throws what it is told.</summary>
public sealed class FakeEngineSession : IEngineSession
{
    public string Id { get; } = "fakesession1";
    public List<RunRequest> Requests { get; } = [];
    public List<FakeRunHandle> Runs { get; } = [];
    public Exception? ThrowOnStart { get; set; }
    public IReadOnlyCollection<IRunHandle> ActiveRuns => Runs.Where(r => !r.Completion.IsCompleted).ToList();

    public string? NetworkName => Requests.Any(r => r.Mode == RunMode.Network) ? "coderunner-net-fake" : null;

    public bool IsClosed => false;

    public Task<IRunHandle> StartRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        if (ThrowOnStart is { } error)
        {
            return Task.FromException<IRunHandle>(error);
        }

        var run = new FakeRunHandle(request.EntryFile);
        Runs.Add(run);
        return Task.FromResult<IRunHandle>(run);
    }

    public FakeRunHandle RunOf(string entryFile) => Runs.Last(r => r.EntryFile == entryFile);

    public List<CodeRunner.Engine.Testing.TestRunRequest> TestRuns { get; } = [];

    /// <summary>What <see cref="RunTestsAsync"/> answers; by default every case passes.</summary>
    public Func<CodeRunner.Engine.Testing.TestRunRequest, CodeRunner.Engine.Testing.TestRunResult>? TestResults { get; set; }

    public Task<CodeRunner.Engine.Testing.TestRunResult> RunTestsAsync(
        CodeRunner.Engine.Testing.TestRunRequest request,
        IProgress<CodeRunner.Engine.Testing.TestCaseResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TestRuns.Add(request);
        var result = TestResults?.Invoke(request) ?? new CodeRunner.Engine.Testing.TestRunResult
        {
            Cases = request.Cases.Select((c, i) => new CodeRunner.Engine.Testing.TestCaseResult
            {
                Index = i,
                Name = c.Name,
                Outcome = CodeRunner.Engine.Testing.TestOutcome.Passed,
                Judge0StatusId = 3,
                Status = "Accepted",
                Stdout = c.ExpectedOutput,
            }).ToList(),
        };
        foreach (var c in result.Cases)
        {
            progress?.Report(c);
        }

        return Task.FromResult(result);
    }

    /// <summary>The kernels the notebooks started, in order.</summary>
    public List<FakeKernel> Kernels { get; } = [];

    /// <summary>What <see cref="StartKernelAsync"/> throws, when set.</summary>
    public Exception? ThrowOnKernel { get; set; }

    public Task<INotebookKernel> StartKernelAsync(KernelRequest request, CancellationToken cancellationToken = default)
    {
        if (ThrowOnKernel is { } error)
        {
            throw error;
        }

        var kernel = new FakeKernel(request);
        Kernels.Add(kernel);
        return Task.FromResult<INotebookKernel>(kernel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A kernel the test drives: each cell waits until the test sends its outputs and ends it.</summary>
public sealed class FakeKernel(KernelRequest request) : INotebookKernel
{
    private int _count;

    /// <summary>A cell sent to the kernel: its code, a way to send outputs, and a way to end it.</summary>
    public sealed record Execution(string Code, Func<KernelOutput, ValueTask> Output, TaskCompletionSource<CellResult> Result);

    public KernelRequest Request { get; } = request;
    public List<Execution> Executions { get; } = [];
    public List<string> Inputs { get; } = [];
    public int Interrupts { get; private set; }
    public int Restarts { get; private set; }
    public bool Disposed { get; private set; }

    public string Id => "fakekernel";
    public KernelState State { get; private set; } = KernelState.Idle;
    public string? Problem { get; private set; }
    public event Action<KernelState>? StateChanged;

    public Task<CellResult> ExecuteAsync(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken = default)
    {
        var execution = new Execution(code, output, new TaskCompletionSource<CellResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        Executions.Add(execution);
        return execution.Result.Task;
    }

    /// <summary>Sends outputs for the oldest unfinished cell and ends it as the kernel would, with the next count.</summary>
    public async Task FinishNextAsync(params KernelOutput[] outputs)
    {
        var execution = Executions.First(e => !e.Result.Task.IsCompleted);
        foreach (var output in outputs)
        {
            await execution.Output(output);
        }

        var failed = outputs.OfType<ErrorOutput>().Any();
        execution.Result.SetResult(new CellResult(failed ? CellStatus.Error : CellStatus.Ok, ++_count));
    }

    public void Die(string problem)
    {
        (State, Problem) = (KernelState.Dead, problem);
        foreach (var execution in Executions.Where(e => !e.Result.Task.IsCompleted))
        {
            execution.Result.SetResult(new CellResult(CellStatus.Aborted, null, problem));
        }

        StateChanged?.Invoke(State);
    }

    public ValueTask ReplyInputAsync(string text, CancellationToken cancellationToken = default)
    {
        Inputs.Add(text);
        return ValueTask.CompletedTask;
    }

    public ValueTask InterruptAsync(CancellationToken cancellationToken = default)
    {
        Interrupts++;
        return ValueTask.CompletedTask;
    }

    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Restarts++;
        _count = 0;
        (State, Problem) = (KernelState.Idle, null);
        StateChanged?.Invoke(State);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>An engine whose only session is the test's <see cref="FakeEngineSession"/>.</summary>
public sealed class FakeExecutionEngine(FakeEngineSession session) : IExecutionEngine
{
    /// <summary>The repository's runtimes' languages, as the real engine reads them; a test may change them.</summary>
    public IReadOnlyList<LanguageInfo> Languages { get; set; } = CodeRunner.Tests.Infrastructure.RealRuntimes.Languages;
    public string? Problem { get; set; }
    public Task Warmed => Task.CompletedTask;
    public IEngineSession CreateSession() => session;
    public EngineStatus GetStatus() => new(Problem, 1, session.ActiveRuns.Count, [], 0, 0, null);
}

/// <summary>Browser storage kept in memory.</summary>
public sealed class InMemoryWorkspaceStorage : IWorkspaceStorage
{
    public event Action<RemoteChange>? RemoteChanged;

    /// <summary>As another tab's save or a hand-out would: files changed elsewhere arrive.</summary>
    public void Arrive(RemoteChange change) => RemoteChanged?.Invoke(change);

    public StoredWorkspace? Stored { get; set; }
    public int Saves { get; private set; }

    public Task<StoredWorkspace?> LoadAsync(long maxFileBytes) => Task.FromResult(Stored);

    public Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed)
    {
        var files = new Dictionary<string, string>(Stored?.Files ?? [], StringComparer.Ordinal);
        var bytes = new Dictionary<string, byte[]>(Stored?.Binaries ?? [], StringComparer.Ordinal);
        foreach (var path in removed)
        {
            files.Remove(path);
            bytes.Remove(path);
        }

        foreach (var (path, text) in changed)
        {
            files[path] = text;
            bytes.Remove(path);
        }

        foreach (var (path, data) in binaries)
        {
            bytes[path] = data;
            files.Remove(path);
        }

        Stored = new StoredWorkspace(manifest, files.Where(f => manifest.Files.Contains(f.Key)).ToDictionary())
        {
            Binaries = bytes.Where(f => manifest.Files.Contains(f.Key)).ToDictionary(),
        };
        Saves++;
        return Task.FromResult<string?>(null);
    }
}
