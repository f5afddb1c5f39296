using CodeRunner.Web.Components;
using Microsoft.JSInterop;

namespace CodeRunner.Tests.Web;

public sealed class JsAttachmentTests
{
    [Fact]
    public async Task Attachment_DisposedBeforeTheAttachmentArrives_DisposesItWhenItDoes()
    {
        var js = new FakeRuntime();
        var slot = new JsAttachment();

        var attaching = slot.AttachAsync(js, "./module.js", "attach");
        await slot.DisposeAsync(); // the component went away while JS was still attaching
        js.Module.Attached.SetResult(js.Module.Instance);
        await attaching;

        Assert.Null(slot.Instance);
        Assert.Equal(["dispose"], js.Module.Instance.Calls);
        Assert.True(js.Module.Instance.Released);
        Assert.True(js.Module.Released);
    }

    [Fact]
    public async Task Attachment_Attached_ThenDisposedTwice_DisposesOnce()
    {
        var js = new FakeRuntime();
        js.Module.Attached.SetResult(js.Module.Instance);
        var slot = new JsAttachment();

        await slot.AttachAsync(js, "./module.js", "attach");
        Assert.Same(js.Module.Instance, slot.Instance);
        await slot.DisposeAsync();
        await slot.DisposeAsync();

        Assert.Null(slot.Instance);
        Assert.Equal(["dispose"], js.Module.Instance.Calls);
    }

    private sealed class FakeRuntime : IJSRuntime
    {
        public FakeModule Module { get; } = new();

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "import" ? ValueTask.FromResult((TValue)(object)Module) : throw new InvalidOperationException(identifier);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    /// <summary>A JS object: records the calls made on it; the module's attach answers when the test says.</summary>
    private class FakeObject : IJSObjectReference
    {
        public List<string> Calls { get; } = [];

        public bool Released { get; private set; }

        public virtual ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            Calls.Add(identifier);
            return ValueTask.FromResult(default(TValue)!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            Released = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeModule : FakeObject
    {
        public FakeObject Instance { get; } = new();

        public TaskCompletionSource<FakeObject> Attached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "attach" ? (TValue)(object)await Attached.Task : await base.InvokeAsync<TValue>(identifier, args);
    }
}
