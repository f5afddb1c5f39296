using Microsoft.JSInterop;

namespace CodeRunner.Web.Components;

/// <summary>
/// A component's collocated JavaScript module and the object one of its functions attached to the page (listeners,
/// an editor). Disposing calls the object's <c>dispose()</c> and releases both references; when the page is already
/// gone there is nothing left to release, and that is not an error.
/// </summary>
public sealed class JsAttachment : IAsyncDisposable
{
    private JsAttachment(IJSObjectReference module, IJSObjectReference instance)
    {
        Module = module;
        Instance = instance;
    }

    /// <summary>The imported module, for its other exported functions.</summary>
    public IJSObjectReference Module { get; }

    /// <summary>What the attaching function returned.</summary>
    public IJSObjectReference Instance { get; }

    /// <summary>Imports <paramref name="modulePath"/> and calls its <paramref name="function"/> with <paramref name="args"/>.</summary>
    public static async Task<JsAttachment> AttachAsync(IJSRuntime js, string modulePath, string function, params object?[] args)
    {
        var module = await js.InvokeAsync<IJSObjectReference>("import", modulePath);
        try
        {
            return new JsAttachment(module, await module.InvokeAsync<IJSObjectReference>(function, args));
        }
        catch
        {
            await ReleaseAsync(module.DisposeAsync);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync(async () =>
        {
            await Instance.InvokeVoidAsync("dispose");
            await Instance.DisposeAsync();
        });
        await ReleaseAsync(Module.DisposeAsync);
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

/// <summary>
/// A component's attachment, which it may be disposed before the attaching call returns (a tab closed at once, the
/// page left): what arrives after that is disposed at once instead of staying attached to the page.
/// </summary>
public sealed class JsAttachmentSlot : IAsyncDisposable
{
    private bool _disposed;

    /// <summary>The attachment, once it is made and while the component lives.</summary>
    public JsAttachment? Current { get; private set; }

    /// <inheritdoc cref="JsAttachment.AttachAsync"/>
    public async Task AttachAsync(IJSRuntime js, string modulePath, string function, params object?[] args)
    {
        var attached = await JsAttachment.AttachAsync(js, modulePath, function, args);
        if (_disposed)
        {
            await attached.DisposeAsync();
            return;
        }

        Current = attached;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Current is { } current)
        {
            Current = null;
            await current.DisposeAsync();
        }
    }
}
