using Microsoft.JSInterop;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// Keeps the workspace in the browser's localStorage, one key per file, through a small JS module. A student of a
/// class has a scope of their own there, for the tabs, the theme and the drafts only (their files are on the server).
/// </summary>
public sealed class BrowserWorkspaceStorage(IJSRuntime js) : IWorkspaceStorage, IAsyncDisposable
{
    private IJSObjectReference? _module;

    /// <summary>Only this tab writes the browser's storage.</summary>
    event Action<RemoteChange>? IWorkspaceStorage.RemoteChanged
    {
        add { }
        remove { }
    }

    public async Task<StoredWorkspace?> LoadAsync(long maxFileBytes) =>
        await (await ModuleAsync()).InvokeAsync<StoredWorkspace?>("load", maxFileBytes);

    /// <remarks>Bytes cross to the module as base64 (how JSON carries a byte array) and are kept so.</remarks>
    public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed) =>
        await (await ModuleAsync()).InvokeAsync<string?>("save", manifest, changed, binaries, removed);

    /// <summary>From now on, this page keeps its tabs and drafts under <paramref name="scope"/> (null: the solo workspace).</summary>
    public async Task UseScopeAsync(string? scope) => await (await ModuleAsync()).InvokeVoidAsync("useScope", scope);

    /// <summary>Removes everything kept under <paramref name="scope"/>.</summary>
    public async Task ClearScopeAsync(string scope) => await (await ModuleAsync()).InvokeVoidAsync("clearScope", scope);

    /// <summary>The solo work of this browser (outside any class), or null when there is none.</summary>
    public async Task<StoredWorkspace?> LoadSoloAsync(long maxFileBytes) =>
        await (await ModuleAsync()).InvokeAsync<StoredWorkspace?>("loadSolo", maxFileBytes);

    /// <summary>Removes the solo work of this browser (after it moved into a class project).</summary>
    public async Task ClearSoloAsync() => await (await ModuleAsync()).InvokeVoidAsync("clearSolo");

    /// <summary>The tabs and theme kept in the current scope, and the drafts of <paramref name="paths"/>.</summary>
    public async Task<LocalState> LoadLocalStateAsync(long maxFileBytes, IReadOnlyCollection<string> paths) =>
        await (await ModuleAsync()).InvokeAsync<LocalState>("loadLocalState", maxFileBytes, paths);

    /// <summary>Keeps the tabs and theme, and drops the drafts of files whose text the server now has.</summary>
    public async Task SaveLocalStateAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> saved) =>
        await (await ModuleAsync()).InvokeVoidAsync("saveLocalState", manifest, saved);

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/workspace-storage.js");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the module with it.
        }
    }
}

/// <summary>What a class's page keeps in the browser: its tabs and theme (null on a first visit), and its drafts.</summary>
public sealed record LocalState(WorkspaceManifest? Manifest, Dictionary<string, string> Drafts);
