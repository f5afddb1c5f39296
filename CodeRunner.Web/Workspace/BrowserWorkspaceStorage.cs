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
        (await (await ModuleAsync()).InvokeAsync<KeptWorkspace?>("load", maxFileBytes))?.ToStored();

    /// <remarks>
    /// Bytes cross to the module as base64 text, made here, and are kept so: JS interop would hand a byte array to the
    /// module as a Uint8Array, which localStorage cannot hold.
    /// </remarks>
    public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed) =>
        await (await ModuleAsync()).InvokeAsync<string?>("save", manifest, changed,
            binaries.ToDictionary(b => b.Key, b => Convert.ToBase64String(b.Value)), removed);

    /// <summary>From now on, this page keeps its tabs and drafts under <paramref name="scope"/> (null: the solo workspace).</summary>
    public async Task UseScopeAsync(string? scope) => await (await ModuleAsync()).InvokeVoidAsync("useScope", scope);

    /// <summary>Removes everything kept under <paramref name="scope"/>.</summary>
    public async Task ClearScopeAsync(string scope) => await (await ModuleAsync()).InvokeVoidAsync("clearScope", scope);

    /// <summary>The solo work of this browser (outside any class), or null when there is none.</summary>
    public async Task<StoredWorkspace?> LoadSoloAsync(long maxFileBytes) =>
        (await (await ModuleAsync()).InvokeAsync<KeptWorkspace?>("loadSolo", maxFileBytes))?.ToStored();

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

/// <summary>The workspace as the module reads it from localStorage: binary files as their base64.</summary>
internal sealed record KeptWorkspace(WorkspaceManifest Manifest, Dictionary<string, string> Files, Dictionary<string, string>? Drafts,
    Dictionary<string, string>? Binaries)
{
    /// <exception cref="FormatException">A binary file's base64 was damaged in storage.</exception>
    public StoredWorkspace ToStored() => new(Manifest, Files, Drafts)
    {
        Binaries = Binaries?.ToDictionary(b => b.Key, b => Convert.FromBase64String(b.Value), StringComparer.Ordinal),
    };
}

/// <summary>What a class's page keeps in the browser: its tabs and theme (null on a first visit), and its drafts.</summary>
public sealed record LocalState(WorkspaceManifest? Manifest, Dictionary<string, string> Drafts);
