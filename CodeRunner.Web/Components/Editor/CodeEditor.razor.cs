using CodeRunner.Engine;
using CodeRunner.Web.Notebooks;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CodeRunner.Web.Components.Editor;

/// <summary>
/// Monaco with a tab per open file, each with its own model (and undo history). Typed text comes back to the
/// <see cref="WorkspaceStore"/> shortly after typing stops, and at once before a run or an explorer change.
/// </summary>
/// <remarks>
/// Monaco comes from the BlazorMonaco package, but is driven by this component's own JS module rather than
/// BlazorMonaco's component: BlazorMonaco 3.0 routes editor creation and its <c>Global</c> calls through one static
/// IJSRuntime shared by every circuit, which on Blazor Server can put one student's editor in another's browser.
/// </remarks>
public sealed partial class CodeEditor : IAsyncDisposable
{
    public const string EditorId = "code-editor";

    private readonly HashSet<string> _models = new(StringComparer.Ordinal);
    private ElementReference _host;
    private readonly JsAttachment _js = new();
    private DotNetObjectReference<CodeEditor>? _self;
    private string? _shownPath;
    private string? _shownLanguage;
    private bool? _shownDark;
    private long _editsAnnounced; // the latest edit the browser said it has not sent yet
    private long _editsReceived; // the latest edit whose text the server has

    /// <summary>The Monaco editor the module created, once it has.</summary>
    private IJSObjectReference? Editor => _js.Instance;

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IExecutionEngine Engine { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public bool DarkMode { get; set; } = true;

    protected override void OnInitialized()
    {
        Store.Changed += OnStoreChanged;
        Store.FilesReplaced += OnFilesReplaced;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            await _js.AttachAsync(JS, "./Components/Editor/CodeEditor.razor.js", "create", _host, _self, DarkMode);
            _shownDark = DarkMode;
            await ShowAsync(Store.ActiveFile);
            StateHasChanged();
        }
        else if (Editor is not null && _shownDark != DarkMode)
        {
            _shownDark = DarkMode;
            await Editor.InvokeVoidAsync("setTheme", DarkMode);
        }
    }

    private void OnStoreChanged() => _ = InvokeAsync(async () =>
    {
        foreach (var path in _models.Where(p => !Store.OpenTabs.Contains(p)).ToList())
        {
            await DropAsync(path);
        }

        await ShowAsync(Store.ActiveFile);
        StateHasChanged();
    });

    private void OnFilesReplaced(IReadOnlyCollection<string> paths) => _ = InvokeAsync(async () =>
    {
        foreach (var path in paths.ToList())
        {
            await DropAsync(path, replaced: true);
        }

        await ShowAsync(Store.ActiveFile);
        StateHasChanged(); // data-path and data-language follow the file shown again
    });

    private async Task ActivateAsync(string path)
    {
        await FlushAsync();
        Store.Open(path);
    }

    private async Task CloseAsync(string path)
    {
        await FlushAsync();
        Store.CloseTab(path);
    }

    /// <summary>Shows a file, sending its text only the first time (Monaco keeps the model afterwards).</summary>
    private async Task ShowAsync(string? path)
    {
        if (Editor is null || path == _shownPath)
        {
            return;
        }

        if (path is null || !InMonaco(path) || !Store.Project.Files.TryGetValue(path, out var text))
        {
            _shownPath = null;
            await Editor.InvokeVoidAsync("hide");
            return;
        }

        var known = _models.Contains(path);
        var chosen = EditorLanguage.For(Engine, path);
        var shown = await Editor.InvokeAsync<string?>("show", path, known ? null : text, chosen);
        _models.Add(path);
        _shownPath = path;
        _shownLanguage = shown ?? chosen;
    }

    /// <summary>The language Monaco shows <see cref="ShownPath"/> in, as the browser said; null for a view of its own (a notebook).</summary>
    private string? ShownLanguage => ShownPath is { } path && path == _shownPath ? _shownLanguage : null;

    /// <summary>The file shown: in Monaco, or in a view of its own (a notebook).</summary>
    private string? ShownPath => Store.ActiveFile is { } active && !InMonaco(active) ? active : _shownPath;

    /// <summary>Whether Monaco shows the file: a notebook has a view of its own.</summary>
    private static bool InMonaco(string? path) => path is not null && !OpenNotebooks.IsNotebook(path);

    private async Task DropAsync(string path, bool replaced = false)
    {
        _models.Remove(path);
        if (path == _shownPath)
        {
            _shownPath = null;
        }

        if (Editor is not null)
        {
            await Editor.InvokeVoidAsync("drop", path, replaced);
        }
    }

    /// <summary>The first edit since the last text sent: the browser now holds text the server lacks.</summary>
    [JSInvokable]
    public void OnEditing(long version) => _editsAnnounced = Math.Max(_editsAnnounced, version);

    /// <summary>Text typed in Monaco (up to edit <paramref name="version"/>), sent by the JS module shortly after typing stops, and before a run.</summary>
    [JSInvokable]
    public void OnTextChanged(Dictionary<string, string>? texts, long version)
    {
        _editsReceived = Math.Max(_editsReceived, version);
        Apply(texts);
    }

    private void Apply(Dictionary<string, string>? texts)
    {
        foreach (var (path, text) in texts ?? [])
        {
            if (!Store.Project.IsFile(path))
            {
                continue; // deleted or renamed meanwhile: its model is being dropped
            }

            try
            {
                Store.UpdateContent(path, text);
            }
            catch (WorkspaceException ex)
            {
                Snackbar.Add($"Not saved: {ex.Message}", Severity.Error);
            }
        }
    }

    /// <summary>Takes every edit Monaco has not sent yet, so that a run or an explorer change sees the latest text.</summary>
    public async Task FlushAsync()
    {
        if (Editor is null)
        {
            return;
        }

        try
        {
            if (await Editor.InvokeAsync<EditorEdits?>("takeChanges") is { } edits)
            {
                OnTextChanged(edits.Texts, edits.Version);
            }
        }
        catch (Exception ex) when (ex is JSException or TaskCanceledException)
        {
            Snackbar.Add($"The editor's latest text could not be read: {ex.Message}", Severity.Warning);
        }
    }

    /// <summary>
    /// Before a run: takes the editor's edits only when the browser said it holds some that have not arrived. The
    /// browser sends them just before the click or the shortcut that starts the run, on the same connection, so they
    /// are usually here already and the run starts without a round trip to the browser.
    /// </summary>
    public Task CatchUpAsync() => _editsAnnounced > _editsReceived ? FlushAsync() : Task.CompletedTask;

    /// <summary>What the JS module's takeChanges returns: the texts of the files edited since the last send, and the latest edit.</summary>
    public sealed record EditorEdits(Dictionary<string, string>? Texts, long Version);

    public async ValueTask DisposeAsync()
    {
        Store.Changed -= OnStoreChanged;
        Store.FilesReplaced -= OnFilesReplaced;
        await _js.DisposeAsync();

        _self?.Dispose();
    }
}
