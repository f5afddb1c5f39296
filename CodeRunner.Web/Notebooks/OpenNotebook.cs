using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Notebooks;

/// <summary>Where a code cell is in its run.</summary>
public enum CellRunState
{
    None,
    Queued,
    Running,
}

/// <summary>
/// A notebook open in the IDE: its document, read from the project and written back to it after each change, and its
/// kernel, started when the notebook opens. It lives as long as its tab, not as long as the view that shows it, so a
/// cell goes on running (and its outputs go on arriving) while the student looks at another file.
/// </summary>
/// <remarks>
/// Everything here runs on the page's dispatcher (<see cref="WorkspaceStore.Dispatch"/>): the kernel's outputs
/// arrive on other threads and are passed over. A notebook that cannot be read is shown with its problem and never
/// written.
/// </remarks>
public sealed class OpenNotebook : IAsyncDisposable
{
    /// <summary>Text kept per cell from its streams; past it the cell says what was left out, and the notebook file stays small.</summary>
    public const int MaxStreamCharsPerCell = 512 * 1024;

    private static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(500);

    private readonly WorkspaceStore _store;
    private readonly CircuitSession _session;
    private readonly Dictionary<NotebookCell, CellRunState> _states = [];
    private readonly Dictionary<NotebookCell, string> _notes = [];
    private readonly Dictionary<NotebookCell, int> _streamChars = [];
    private readonly CancellationTokenSource _closing = new();
    private INotebookKernel? _kernel;
    private Task<INotebookKernel>? _starting;
    private IReadOnlyList<SourceFile> _files = [];
    private Timer? _saveTimer;
    private bool _saveWanted;
    private int _runAllGeneration;

    public OpenNotebook(string path, WorkspaceStore store, CircuitSession session)
    {
        Path = path;
        _store = store;
        _session = session;
        Reload();
    }

    public string Path { get; }

    /// <summary>The notebook, or null when the file could not be read (see <see cref="Problem"/>).</summary>
    public NotebookDocument? Document { get; private set; }

    /// <summary>Why the file cannot be shown as a notebook; the file is then left as it is.</summary>
    public string? Problem { get; private set; }

    /// <summary>Why the latest change could not be kept (a workspace limit), or null.</summary>
    public string? SaveProblem { get; private set; }

    /// <summary>The kernel's state; <see cref="KernelState.Dead"/> too when it could not start (<see cref="KernelProblem"/> says why).</summary>
    public KernelState KernelState => _kernel?.State ?? (KernelProblem is null ? KernelState.Starting : KernelState.Dead);

    /// <summary>Why the kernel could not start or died, as a sentence.</summary>
    public string? KernelProblem { get; private set; }

    /// <summary>The cell waiting for an answer to its <c>input()</c>, and the question.</summary>
    public (NotebookCell Cell, InputRequest Request)? PendingInput { get; private set; }

    /// <summary>Raised on the page's dispatcher after any change the view shows.</summary>
    public event Action? Changed;

    public CellRunState StateOf(NotebookCell cell) => _states.GetValueOrDefault(cell);

    /// <summary>A line under a cell that is not one of its outputs (why it did not run), never saved.</summary>
    public string? NoteOf(NotebookCell cell) => _notes.GetValueOrDefault(cell);

    public bool IsBusy => _states.Count > 0;

    /// <summary>Reads the file again, as after a hand-out or an upload replaced it; cells that run are interrupted.</summary>
    public void Reload()
    {
        try
        {
            var text = _store.Project.Files.GetValueOrDefault(Path) ?? "";
            Problem = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                Document = NotebookDocument.New(); // a notebook just made in the explorer
                SaveNow();
            }
            else
            {
                Document = NotebookDocument.Parse(text);
            }
        }
        catch (NotebookFormatException ex)
        {
            Document = null;
            Problem = ex.Message;
        }

        _states.Clear();
        _notes.Clear();
        _streamChars.Clear();
        PendingInput = null;
        Changed?.Invoke();
    }

    /// <summary>Starts the kernel in the background, once (again after a start that failed); a failure is shown as <see cref="KernelProblem"/>.</summary>
    public void StartKernel()
    {
        if (Document is null || _starting is { IsFaulted: false })
        {
            return; // started or starting; one that failed is tried again
        }

        RefreshFiles();
        _starting = StartKernelAsync();
    }

    private async Task<INotebookKernel> StartKernelAsync()
    {
        try
        {
            KernelProblem = null;
            var kernel = await _session.Session.StartKernelAsync(
                new KernelRequest { Files = () => Volatile.Read(ref _files), NotebookPath = Path }, _closing.Token);
            kernel.StateChanged += _ => Post(() =>
            {
                KernelProblem = kernel.Problem;
                Changed?.Invoke();
            });
            _kernel = kernel;
            Changed?.Invoke();
            return kernel;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            KernelProblem = "The notebook's Python could not start: " + ex.Message; // the next run tries again
            Changed?.Invoke();
            throw;
        }
    }

    /// <summary>Runs one cell (a Markdown or raw cell has nothing to run); returns false when it did not end well.</summary>
    public async Task<bool> RunAsync(NotebookCell cell)
    {
        if (Document is null || cell.Type != NotebookCellType.Code || _states.ContainsKey(cell))
        {
            return true;
        }

        _states[cell] = CellRunState.Queued;
        _notes.Remove(cell);
        Changed?.Invoke();
        INotebookKernel kernel;
        try
        {
            if (_kernel is { State: KernelState.Dead })
            {
                RefreshFiles(); // the kernel starts again for this cell: with the files as they are now
            }

            StartKernel();
            kernel = await _starting!;
        }
        catch (Exception ex)
        {
            _states.Remove(cell);
            _notes[cell] = ex is OperationCanceledException ? "Not run: the notebook was closed." : KernelProblem ?? ex.Message;
            Changed?.Invoke();
            return false;
        }

        var source = cell.Source;
        cell.Outputs.Clear(); // Jupyter clears a cell's outputs as it sends it
        cell.ExecutionCount = null;
        _streamChars[cell] = 0;
        Changed?.Invoke();
        CellResult result;
        try
        {
            result = await kernel.ExecuteAsync(source, output => new ValueTask(Post(() => Receive(cell, output))), _closing.Token);
        }
        catch (Exception ex)
        {
            await Post(() =>
            {
                _states.Remove(cell);
                _notes[cell] = ex is OperationCanceledException ? "Not finished: the notebook was closed." : "The cell could not run: " + ex.Message;
                Changed?.Invoke();
            });
            return false;
        }

        await Post(() =>
        {
            _states.Remove(cell);
            _streamChars.Remove(cell);
            if (PendingInput?.Cell == cell)
            {
                PendingInput = null;
            }

            if (result.Status == CellStatus.Aborted)
            {
                _notes[cell] = result.Message ?? "The cell did not finish: the kernel stopped.";
            }

            cell.ExecutionCount = result.ExecutionCount ?? cell.ExecutionCount;
            SaveNow();
        });
        return result.Status == CellStatus.Ok;
    }

    /// <summary>Runs every code cell in order, and stops at the first that fails, as Jupyter does.</summary>
    public async Task RunAllAsync()
    {
        if (Document is null)
        {
            return;
        }

        var generation = ++_runAllGeneration;
        var cells = Document.Cells.Where(c => c.Type == NotebookCellType.Code).ToList();
        foreach (var cell in cells)
        {
            _states.TryAdd(cell, CellRunState.Queued);
        }

        Changed?.Invoke();
        foreach (var cell in cells)
        {
            if (generation != _runAllGeneration || !Document.Cells.Contains(cell))
            {
                break;
            }

            _states.Remove(cell); // RunAsync queues it again, at the kernel
            if (!await RunAsync(cell))
            {
                break;
            }
        }

        foreach (var cell in cells.Where(c => _states.GetValueOrDefault(c) == CellRunState.Queued))
        {
            _states.Remove(cell); // left waiting when an earlier cell failed
        }

        Changed?.Invoke();
    }

    /// <summary>Interrupts the running cell (a <c>KeyboardInterrupt</c> in it) and drops the cells waiting after it.</summary>
    public async Task InterruptAsync()
    {
        _runAllGeneration++;
        if (_kernel is { } kernel)
        {
            await kernel.InterruptAsync(_closing.Token);
        }
    }

    /// <summary>A clean interpreter, with the project's files as they are now; the outputs on the page stay.</summary>
    public async Task RestartAsync()
    {
        _runAllGeneration++;
        RefreshFiles();
        if (_kernel is { } kernel)
        {
            await kernel.RestartAsync(_closing.Token);
        }
        else
        {
            StartKernel();
        }
    }

    public async Task ReplyInputAsync(string text)
    {
        if (PendingInput is not { } pending || _kernel is null)
        {
            return;
        }

        PendingInput = null;
        Append(pending.Cell, new StreamOutput("stdout", (pending.Request.Password ? "········" : text) + "\n"));
        await _kernel.ReplyInputAsync(text, _closing.Token);
    }

    public NotebookCell AddCell(int index, NotebookCellType type = NotebookCellType.Code)
    {
        var cell = new NotebookCell(type);
        Document!.Cells.Insert(Math.Clamp(index, 0, Document.Cells.Count), cell);
        SaveNow();
        return cell;
    }

    public void DeleteCell(NotebookCell cell)
    {
        if (_states.ContainsKey(cell))
        {
            return; // a running or waiting cell stays until it ends
        }

        Document!.Cells.Remove(cell);
        SaveNow();
    }

    public void MoveCell(NotebookCell cell, int by)
    {
        var cells = Document!.Cells;
        var from = cells.IndexOf(cell);
        var to = from + by;
        if (from < 0 || to < 0 || to >= cells.Count)
        {
            return;
        }

        cells.RemoveAt(from);
        cells.Insert(to, cell);
        SaveNow();
    }

    public void SetType(NotebookCell cell, NotebookCellType type)
    {
        if (cell.Type == type || _states.ContainsKey(cell))
        {
            return;
        }

        cell.Type = type;
        if (type != NotebookCellType.Code)
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
        }

        SaveNow();
    }

    /// <summary>Text typed into a cell; kept shortly after typing stops.</summary>
    public void SetSource(NotebookCell cell, string source)
    {
        if (cell.Source == source)
        {
            return;
        }

        cell.Source = source;
        ScheduleSave();
    }

    /// <summary>Writes what is pending now, as before a run or when the tab closes.</summary>
    public void Flush() => SaveIfWanted();

    private void Receive(NotebookCell cell, KernelOutput output)
    {
        if (!Document!.Cells.Contains(cell))
        {
            return;
        }

        switch (output)
        {
            case InputRequest request:
                PendingInput = (cell, request);
                break;
            default:
                if (_states.GetValueOrDefault(cell) == CellRunState.Queued)
                {
                    _states[cell] = CellRunState.Running;
                }

                Append(cell, output);
                break;
        }

        ScheduleSave();
        Changed?.Invoke();
    }

    /// <summary>Keeps the notebook <see cref="SaveDelay"/> after the last of a burst of changes (typing, streaming output).</summary>
    private void ScheduleSave()
    {
        _saveWanted = true;
        _saveTimer ??= new Timer(_ => _ = Post(SaveIfWanted));
        _saveTimer.Change(SaveDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Adds an output; text on the same stream joins the last output, as Jupyter shows it.</summary>
    private void Append(NotebookCell cell, KernelOutput output)
    {
        if (output is StreamOutput stream)
        {
            var used = _streamChars.GetValueOrDefault(cell);
            if (used >= MaxStreamCharsPerCell)
            {
                return;
            }

            var text = stream.Text;
            if (used + text.Length > MaxStreamCharsPerCell)
            {
                text = text[..(MaxStreamCharsPerCell - used)]
                    + $"\n[output cut: a cell keeps at most {MaxStreamCharsPerCell / 1024} KB of printed text]\n";
            }

            _streamChars[cell] = used + text.Length;
            if (cell.Outputs.Count > 0 && cell.Outputs[^1].Content is StreamOutput last && last.Name == stream.Name)
            {
                cell.Outputs[^1] = new NotebookOutput(new StreamOutput(last.Name, last.Text + text));
                return;
            }

            output = new StreamOutput(stream.Name, text);
        }

        cell.Outputs.Add(new NotebookOutput(output));
    }

    private void SaveIfWanted()
    {
        if (_saveWanted)
        {
            SaveNow();
        }
    }

    private void SaveNow()
    {
        _saveWanted = false;
        if (Document is null)
        {
            return;
        }

        try
        {
            _store.UpdateContent(Path, Document.Serialize());
            SaveProblem = null;
        }
        catch (WorkspaceException ex)
        {
            SaveProblem = "The notebook is not saved: " + ex.Message;
        }

        Changed?.Invoke();
    }

    private void RefreshFiles() => Volatile.Write(ref _files, RunConsoles.FilesOf(_store.Project));

    private Task Post(Action work) => _store.Dispatch?.Invoke(work) ?? RunHere(work);

    private static Task RunHere(Action work)
    {
        work();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        SaveIfWanted();
        await _closing.CancelAsync();
        if (_saveTimer is not null)
        {
            await _saveTimer.DisposeAsync();
        }

        try
        {
            var kernel = _kernel ?? (_starting is { } starting ? await starting : null);
            if (kernel is not null)
            {
                await kernel.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // it never started: nothing to close
        }

        _closing.Dispose();
    }
}
