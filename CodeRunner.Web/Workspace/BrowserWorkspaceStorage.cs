using Microsoft.JSInterop;

namespace CodeRunner.Web.Workspace;

/// <summary>Keeps the workspace in the browser's localStorage, one key per file, through a small JS module.</summary>
public sealed class BrowserWorkspaceStorage(IJSRuntime js) : IWorkspaceStorage, IAsyncDisposable
{
    private IJSObjectReference? _module;

    public async Task<StoredWorkspace?> LoadAsync(long maxFileBytes) =>
        await (await ModuleAsync()).InvokeAsync<StoredWorkspace?>("load", maxFileBytes);

    public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed, IReadOnlyCollection<string> removed) =>
        await (await ModuleAsync()).InvokeAsync<string?>("save", manifest, changed, removed);

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
