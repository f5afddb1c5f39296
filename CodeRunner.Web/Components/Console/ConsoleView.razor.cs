using CodeRunner.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace CodeRunner.Web.Components.Console;

/// <summary>
/// One console: its entries through <c>Virtualize</c> (a window of rows, however many entries), the verdict, and the
/// input line that writes to this console's program. Renders once per output batch of its <see cref="RunConsole"/>.
/// </summary>
public sealed partial class ConsoleView : IAsyncDisposable
{
    public const float LineHeight = 18;

    private ElementReference _output;
    private ElementReference _stdin;
    private readonly JsAttachment _js = new();
    private RunConsole? _subscribed;
    private string _input = "";

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public RunConsole Console { get; set; } = default!;

    /// <summary>Watching someone else's console (a teacher): no input line and no Clear.</summary>
    [Parameter] public bool ReadOnly { get; set; }

    protected override void OnParametersSet()
    {
        if (_subscribed != Console)
        {
            if (_subscribed is not null)
            {
                _subscribed.Changed -= OnConsoleChanged;
            }

            _subscribed = Console;
            Console.Changed += OnConsoleChanged;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await _js.AttachAsync(JS, "./Components/Console/ConsoleView.razor.js", "attach", _output, _stdin);
        }
    }

    /// <summary>One render per batch: the console raises Changed once per batch, from its reading task.</summary>
    private void OnConsoleChanged() => _ = InvokeAsync(StateHasChanged);

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            var line = _input;
            _input = "";
            await Console.SendLineAsync(line);
        }
        else if ((e.CtrlKey || e.MetaKey) && e.Key is "d" or "D")
        {
            await SendEndOfInputAsync();
        }
    }

    private async Task SendEndOfInputAsync()
    {
        if (_input.Length > 0)
        {
            // Like a terminal: Ctrl+D after some text sends that text first.
            var pending = _input;
            _input = "";
            await Console.SendLineAsync(pending);
        }

        await Console.SendEndOfInputAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscribed is not null)
        {
            _subscribed.Changed -= OnConsoleChanged;
        }

        await _js.DisposeAsync();
    }
}
