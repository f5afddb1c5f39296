using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Notebooks;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CodeRunner.Web.Components.Layout;

/// <summary>The whole IDE: app bar, explorer, editor and consoles, and the page-wide keyboard shortcuts.</summary>
public sealed partial class Ide : IAsyncDisposable
{
    private static readonly TimeSpan ProblemCheckInterval = TimeSpan.FromSeconds(5);

    private ElementReference _root;
    private CodeEditor? _editor;
    private readonly JsAttachment _js = new();
    private DotNetObjectReference<Ide>? _self;
    private Timer? _problemTimer;
    private string? _engineProblem;
    private bool _consolesCollapsed;
    private bool _explorerOpen; // a phone's drawer; on a wider screen the explorer is always shown and this is ignored
    private bool _focusExplorer;
    private bool _startingRun; // the consoles' changes meanwhile render once, when the start is done

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private RunConsoles Consoles { get; set; } = default!;
    [Inject] private OpenNotebooks Notebooks { get; set; } = default!;
    [Inject] private IExecutionEngine Engine { get; set; } = default!;
    [Inject] private StarterProject Starter { get; set; } = default!;
    [Inject] private CircuitSession Session { get; set; } = default!;
    [Inject] private ClassroomCircuit Classroom { get; set; } = default!;
    [Inject] private BrowserWorkspaceStorage Browser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override void OnInitialized()
    {
        Store.Changed += OnStateChanged;
        Store.Notice += OnNotice;
        Store.Dispatch = work => InvokeAsync(work);
        Consoles.Changed += OnConsolesChanged;
        Classroom.Changed += OnStateChanged;
        _engineProblem = Engine.Problem;
        _problemTimer = new Timer(_ => CheckEngineProblem(), null, ProblemCheckInterval, ProblemCheckInterval);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusExplorer && _js.Module is { } module)
        {
            _focusExplorer = false;
            await module.InvokeVoidAsync("focusExplorer", _root);
        }

        if (!firstRender)
        {
            return;
        }

        await Classroom.StartAsync();
        await Store.LoadAsync();
        if (Classroom.Student is not null && new Uri(Navigation.Uri).Query.Contains("joined=", StringComparison.Ordinal))
        {
            await OfferSoloWorkAsync();
        }

        StateHasChanged();
        _self = DotNetObjectReference.Create(this);
        await _js.AttachAsync(JS, "./Components/Layout/Ide.razor.js", "attach", _root, _self);
    }

    /// <summary>Runs the active editor file in its console.</summary>
    public async Task RunActiveAsync()
    {
        if (Store.ActiveFile is not { } path)
        {
            Snackbar.Add("Open a file first: Run runs the file in the active editor tab.", Severity.Info);
            return;
        }

        if (OpenNotebooks.IsNotebook(path))
        {
            _ = Notebooks.Get(path).RunAllAsync(); // a notebook runs in its kernel, cell by cell, not as a program
            return;
        }

        if (_editor is not null)
        {
            await _editor.CatchUpAsync();
        }

        _consolesCollapsed = false;
        RunConsole console;
        _startingRun = true;
        try
        {
            // The run is under way in its container from here: a render of the whole page per console change (the
            // run attached, the console added) would only compete with it for the CPU.
            console = await Consoles.StartAsync(path);
        }
        finally
        {
            _startingRun = false;
        }

        if (console.StartError is { } error)
        {
            Snackbar.Add(error, Severity.Error);
        }
    }

    private async Task StopAsync()
    {
        if (Consoles.Active is { IsRunning: true } console)
        {
            await console.StopAsync();
        }
    }

    private async Task FlushEditorAsync()
    {
        if (_editor is not null)
        {
            await _editor.FlushAsync();
        }
    }

    private void ToggleNetwork()
    {
        var network = Consoles.Mode != RunMode.Network;
        Consoles.SetMode(network ? RunMode.Network : RunMode.Fast);
        Snackbar.Add(network
            ? "Network mode on: runs share one localhost in this session's own network. The first run takes a second or two longer."
            : "Network mode off: runs start at once, without any network.", Severity.Info);
    }

    private void ToggleTheme() => Store.SetDarkMode(!Store.DarkMode);

    private void ToggleConsoles() => _consolesCollapsed = !_consolesCollapsed;

    private void ToggleExplorer()
    {
        _explorerOpen = !_explorerOpen;
        _focusExplorer = _explorerOpen; // the keyboard follows the drawer open, as with a dialog
    }

    private void CloseExplorer() => _explorerOpen = false;

    /// <summary>Escape in the explorer's drawer, or on its toggle, closes the drawer (the JS module returns focus to the toggle).</summary>
    [JSInvokable]
    public void CloseExplorerFromKeyboard()
    {
        if (_explorerOpen)
        {
            _explorerOpen = false;
            StateHasChanged();
        }
    }

    private Task ShowShortcutsAsync() =>
        Dialogs.ShowAsync<ShortcutsDialog>("Keyboard shortcuts", new DialogOptions { CloseButton = true, CloseOnEscapeKey = true });

    [JSInvokable]
    public Task RunFromKeyboard() => RunAndRenderAsync();

    /// <summary>
    /// Run's click, with no receiver: as an ordinary handler of this component it would render the whole page at its
    /// first await, which comes before the run is handed to the engine. It renders once, when the run has started.
    /// </summary>
    private EventCallback RunClicked => new(null, (Func<Task>)RunAndRenderAsync);

    private async Task RunAndRenderAsync()
    {
        await RunActiveAsync();
        StateHasChanged();
    }

    /// <summary>The consoles changed: render, unless a run is being started (its end renders once, by the click or the shortcut).</summary>
    private void OnConsolesChanged()
    {
        if (!_startingRun)
        {
            OnStateChanged();
        }
    }

    [JSInvokable]
    public async Task SaveFromKeyboard()
    {
        await FlushEditorAsync();
        await Store.SaveAsync();
        if (Store.StorageProblem is null) // otherwise the storage alert says why
        {
            Snackbar.Add(Classroom.Student is not null
                ? "Saved on the server: your work is there on any computer you sign in from."
                : "Saved in this browser. Download a zip from the explorer to keep a copy elsewhere.", Severity.Success);
        }
    }

    [JSInvokable]
    public Task ShowShortcutsFromKeyboard() => ShowShortcutsAsync();

    private void OnStateChanged() => _ = InvokeAsync(StateHasChanged);

    private void OnNotice(string notice) => _ = InvokeAsync(() => Snackbar.Add(notice, Severity.Info));

    /// <summary>
    /// Right after joining, work this browser holds from before (outside any class) can move into the class project:
    /// copied beside what is there (a file that differs keeps both), then removed from the browser, so that it does not
    /// stay behind on a shared computer.
    /// </summary>
    private async Task OfferSoloWorkAsync()
    {
        var solo = await Browser.LoadSoloAsync(Store.Project.Limits.MaxFileBytes);
        if (solo is null || (Starter.IsUntouched(solo.Files) && solo.Binaries is not { Count: > 0 }))
        {
            return; // nothing of the student's own: only the starter project this browser showed before they joined
        }

        var parameters = new DialogParameters<SoloWorkDialog> { { d => d.Files, solo.Manifest.Files.Count } };
        var dialog = await Dialogs.ShowAsync<SoloWorkDialog>("Work from this browser", parameters);
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        try
        {
            var project = Store.Project.Paths.ToDictionary(p => p, p => Store.Project.ContentOf(p)!.Value, StringComparer.Ordinal);
            Store.Import(SoloWork.Merge(project, solo.Files.Select(f => (f.Key, FileContent.FromText(f.Value)))
                .Concat((solo.Binaries ?? []).Select(b => (b.Key, FileContent.FromBytes(b.Value))))));
            await Store.SaveAsync();
            await Browser.ClearSoloAsync();
            Snackbar.Add($"Your {solo.Manifest.Files.Count} files from this browser are now in your class project.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            Snackbar.Add("Your work from this browser could not be copied: " + ex.Message, Severity.Error);
        }
    }

    private void CheckEngineProblem()
    {
        var problem = Engine.Problem;
        if (problem != _engineProblem)
        {
            _engineProblem = problem;
            _ = InvokeAsync(StateHasChanged);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.Changed -= OnStateChanged;
        Store.Notice -= OnNotice;
        Consoles.Changed -= OnConsolesChanged;
        Classroom.Changed -= OnStateChanged;
        if (_problemTimer is not null)
        {
            await _problemTimer.DisposeAsync();
        }

        await _js.DisposeAsync();

        _self?.Dispose();
    }
}
