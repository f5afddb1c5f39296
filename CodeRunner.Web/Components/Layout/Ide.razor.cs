using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Editor;
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

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private RunConsoles Consoles { get; set; } = default!;
    [Inject] private IExecutionEngine Engine { get; set; } = default!;
    [Inject] private CircuitSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override void OnInitialized()
    {
        Store.Changed += OnStateChanged;
        Consoles.Changed += OnStateChanged;
        _engineProblem = Engine.Problem;
        _problemTimer = new Timer(_ => CheckEngineProblem(), null, ProblemCheckInterval, ProblemCheckInterval);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        await Store.LoadAsync();
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

        await FlushEditorAsync();
        _consolesCollapsed = false;
        var console = await Consoles.StartAsync(path);
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

    private Task ShowShortcutsAsync() =>
        Dialogs.ShowAsync<ShortcutsDialog>("Keyboard shortcuts", new DialogOptions { CloseButton = true, CloseOnEscapeKey = true });

    [JSInvokable]
    public async Task RunFromKeyboard()
    {
        await RunActiveAsync();
        StateHasChanged();
    }

    [JSInvokable]
    public async Task SaveFromKeyboard()
    {
        await FlushEditorAsync();
        await Store.SaveAsync();
        if (Store.StorageProblem is null) // otherwise the storage alert says why
        {
            Snackbar.Add("Saved in this browser. Download a zip from the explorer to keep a copy elsewhere.", Severity.Success);
        }
    }

    [JSInvokable]
    public Task ShowShortcutsFromKeyboard() => ShowShortcutsAsync();

    private void OnStateChanged() => _ = InvokeAsync(StateHasChanged);

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
        Consoles.Changed -= OnStateChanged;
        if (_problemTimer is not null)
        {
            await _problemTimer.DisposeAsync();
        }

        await _js.DisposeAsync();

        _self?.Dispose();
    }
}
