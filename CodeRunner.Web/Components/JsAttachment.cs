using Microsoft.JSInterop;

namespace CodeRunner.Web.Components;

/// <summary>
/// A component's collocated JavaScript module and the object one of its functions attached to the page (listeners,
/// an editor). Disposing calls the object's <c>dispose()</c> and releases both references; when the page is already
/// gone there is nothing left to release, and that is not an error. A component may be disposed before the attaching
/// call returns (a tab closed at once, the page left): what arrives after that is released at once.
/// </summary>
public sealed class JsAttachment : IAsyncDisposable
{
    private bool _disposed;

    /// <summary>The imported module, for its other exported functions; null until attached, and after disposal.</summary>
    public IJSObjectReference? Module { get; private set; }

    /// <summary>What the attaching function returned; null until attached, and after disposal.</summary>
    public IJSObjectReference? Instance { get; private set; }

    /// <summary>Imports <paramref name="modulePath"/> and calls its <paramref name="function"/> with <paramref name="args"/>.</summary>
    public async Task AttachAsync(IJSRuntime js, string modulePath, string function, params object?[] args)
    {
        var module = await js.InvokeAsync<IJSObjectReference>("import", modulePath);
        IJSObjectReference instance;
        try
        {
            instance = await module.InvokeAsync<IJSObjectReference>(function, args);
        }
        catch
        {
            await ReleaseAsync(module.DisposeAsync);
            throw;
        }

        if (_disposed)
        {
            await ReleaseAsync(module, instance);
            return;
        }

        (Module, Instance) = (module, instance);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Module is { } module && Instance is { } instance)
        {
            (Module, Instance) = (null, null);
            await ReleaseAsync(module, instance);
        }
    }

    private static async Task ReleaseAsync(IJSObjectReference module, IJSObjectReference instance)
    {
        await ReleaseAsync(async () =>
        {
            await instance.InvokeVoidAsync("dispose");
            await instance.DisposeAsync();
        });
        await ReleaseAsync(module.DisposeAsync);
    }

    private static async ValueTask ReleaseAsync(Func<ValueTask> release)
    {
        try
        {
            await release();
        }
        catch (JSDisconnectedException)
        {
            // The page is gone, and what was attached to it with it.
        }
    }
}
