using CodeRunner.Web.Workspace;
using Microsoft.JSInterop;

namespace CodeRunner.Bench;

/// <summary>
/// The JS side of a student's page that the classroom benchmark does without: the browser's own storage (open tabs,
/// theme, drafts) that <see cref="BrowserWorkspaceStorage"/> keeps in localStorage. A first visit on a clean browser:
/// nothing kept, and whatever is written is forgotten. The server's side of a save is untouched by it.
/// </summary>
internal sealed class BrowserlessJs : IJSRuntime, IJSObjectReference
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => Answer<TValue>(identifier);

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => Answer<TValue>(identifier);

    public ValueTask<IJSObjectReference> InvokeConstructorAsync(string identifier, object?[]? args) => ValueTask.FromResult<IJSObjectReference>(this);

    public ValueTask<IJSObjectReference> InvokeConstructorAsync(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        ValueTask.FromResult<IJSObjectReference>(this);

    public ValueTask<TValue> GetValueAsync<TValue>(string identifier) => ValueTask.FromResult(default(TValue)!);

    public ValueTask<TValue> GetValueAsync<TValue>(string identifier, CancellationToken cancellationToken) => ValueTask.FromResult(default(TValue)!);

    public ValueTask SetValueAsync<TValue>(string identifier, TValue value) => ValueTask.CompletedTask;

    public ValueTask SetValueAsync<TValue>(string identifier, TValue value, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>"import" gives the module (this object); "loadLocalState" finds nothing kept; everything else returns nothing.</summary>
    private ValueTask<TValue> Answer<TValue>(string identifier) => ValueTask.FromResult(identifier switch
    {
        "import" => (TValue)(object)this,
        "loadLocalState" => (TValue)(object)new LocalState(null, []),
        _ => default(TValue)!,
    });
}
