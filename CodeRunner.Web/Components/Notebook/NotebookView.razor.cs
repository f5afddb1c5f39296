using CodeRunner.Engine.Notebooks;
using CodeRunner.Web.Notebooks;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace CodeRunner.Web.Components.Notebook;

/// <summary>
/// Shows an <see cref="OpenNotebook"/>: the view comes and goes with the tab shown, the notebook and its kernel stay
/// while the tab is open. Keys, as in Jupyter: Shift+Enter runs a cell and moves on (adding a cell after the last),
/// Ctrl+Enter runs it and stays, Escape leaves a Markdown cell's source.
/// </summary>
public sealed partial class NotebookView : IAsyncDisposable
{
    private readonly HashSet<NotebookCell> _editing = [];
    private readonly JsAttachment _js = new();
    private DotNetObjectReference<NotebookView>? _self;
    private ElementReference _root;
    private OpenNotebook? _notebook;

    [Inject] private OpenNotebooks Notebooks { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public string Path { get; set; } = "";

    private string KernelStateName => (_notebook?.KernelState ?? KernelState.Starting).ToString().ToLowerInvariant();

    private string KernelStateText => _notebook?.KernelState switch
    {
        KernelState.Idle => "ready",
        KernelState.Busy => "busy",
        KernelState.Dead => "stopped",
        _ => "starting…",
    };

    protected override void OnParametersSet()
    {
        if (_notebook?.Path == Path)
        {
            return;
        }

        if (_notebook is not null)
        {
            _notebook.Changed -= OnChanged;
        }

        _notebook = Notebooks.Get(Path);
        _notebook.Changed += OnChanged;
        _editing.Clear();
        foreach (var cell in _notebook.Document?.Cells.Where(c => c.Type != NotebookCellType.Code && c.Source.Length == 0) ?? [])
        {
            _editing.Add(cell); // an empty text cell shows its source, or there would be nothing to click
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            await _js.AttachAsync(JS, "./Components/Notebook/NotebookView.razor.js", "attach", _root, _self);
        }
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    /// <summary>
    /// Shift+Enter (advance) or Ctrl+Enter in a cell, with the text the cell holds at that moment. Returns at once, with
    /// the cell that takes the focus; the run goes on, and its outputs arrive as they come.
    /// </summary>
    [JSInvokable]
    public int RunFromKeys(int index, string source, bool advance)
    {
        if (_notebook?.Document is not { } document || index < 0 || index >= document.Cells.Count)
        {
            return -1;
        }

        var cell = document.Cells[index];
        _notebook.SetSource(cell, source);
        Start(cell, advance);
        StateHasChanged();
        return advance ? index + 1 : index;
    }

    /// <summary>Escape in a Markdown cell's source: show it rendered.</summary>
    [JSInvokable]
    public void LeaveEditing(int index, string source)
    {
        if (_notebook?.Document is { } document && index >= 0 && index < document.Cells.Count)
        {
            var cell = document.Cells[index];
            _notebook.SetSource(cell, source);
            if (cell.Type != NotebookCellType.Code && cell.Source.Length > 0)
            {
                _editing.Remove(cell);
            }

            StateHasChanged();
        }
    }

    /// <summary>
    /// Starts a cell and returns: the click or the key is done at once, and the outputs arrive as they come. Adds the
    /// next cell, when Shift+Enter needs one, before it returns.
    /// </summary>
    private void Start(NotebookCell cell, bool advance) => _ = RunAsync(cell, advance);

    private async Task RunAsync(NotebookCell cell, bool advance)
    {
        var notebook = _notebook!;
        var document = notebook.Document!;
        if (cell.Type != NotebookCellType.Code && cell.Source.Length > 0)
        {
            _editing.Remove(cell); // "running" a text cell renders it
        }

        if (advance && document.Cells.IndexOf(cell) == document.Cells.Count - 1)
        {
            notebook.AddCell(document.Cells.Count);
        }

        notebook.Flush();
        await notebook.RunAsync(cell);
    }

    private void Edit(NotebookCell cell)
    {
        if (cell.Type != NotebookCellType.Code)
        {
            _editing.Add(cell);
        }
    }

    private async Task AddAsync(int index, NotebookCellType type)
    {
        var cell = _notebook!.AddCell(index, type);
        if (type != NotebookCellType.Code)
        {
            _editing.Add(cell);
        }

        StateHasChanged();
        if (_js.Instance is { } instance)
        {
            await instance.InvokeVoidAsync("focusCell", index);
        }
    }

    private void RunAll()
    {
        _notebook!.Flush();
        _editing.RemoveWhere(c => c.Source.Length > 0);
        _ = _notebook.RunAllAsync();
    }

    private Task InterruptAsync() => _notebook!.InterruptAsync();

    private Task RestartAsync() => _notebook!.RestartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_notebook is not null)
        {
            _notebook.Changed -= OnChanged;
            _notebook.Flush();
        }

        await _js.DisposeAsync();
        _self?.Dispose();
    }
}
