using CodeRunner.Web.Runs;
using Microsoft.AspNetCore.Components;

namespace CodeRunner.Web.Components.Console;

/// <summary>The console tabs, one per run target, and the active console; re-renders when a run starts or ends.</summary>
public sealed partial class ConsolePanel : IDisposable
{
    [Inject] private RunConsoles Consoles { get; set; } = default!;

    [Parameter] public bool Collapsed { get; set; }
    [Parameter] public EventCallback OnToggleCollapsed { get; set; }

    protected override void OnInitialized() => Consoles.Changed += OnChanged;

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    private static string Status(RunConsole c) =>
        c.IsRunning ? "running" : c.StartError is not null || c.Verdict is { Succeeded: false } ? "failed" : c.Verdict is not null ? "ok" : "";

    private static string StatusText(RunConsole c) =>
        c.IsRunning ? "running" : c.StartError is not null || c.Verdict is { Succeeded: false } ? "failed" : c.Verdict is not null ? "finished" : "idle";

    public void Dispose() => Consoles.Changed -= OnChanged;
}
