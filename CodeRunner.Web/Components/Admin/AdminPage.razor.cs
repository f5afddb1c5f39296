using CodeRunner.Engine;
using CodeRunner.Web.Operations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace CodeRunner.Web.Components.Admin;

/// <summary>
/// The administrator's view of the server: pools, sessions, live runs, images, recent warnings and errors, settings;
/// and the actions that change them (drain and refill a pool, stop a run, end a session), each asked first and logged
/// with the administrator's name.
/// </summary>
public sealed partial class AdminPage
{
    public const int RefreshSeconds = 2;

    private readonly CancellationTokenSource _disposed = new();
    private EngineOverview _overview = new([], []);
    private IReadOnlyList<RunOverview> _runs = [];
    private IReadOnlyList<RuntimeImage>? _images;
    private IReadOnlyList<LoggedProblem> _log = [];
    private string? _problem;
    private string? _error;
    private string _administrator = "";

    [Inject] private IExecutionEngine Engine { get; set; } = default!;
    [Inject] private IEngineAdministration Administration { get; set; } = default!;
    [Inject] private RecentProblems Problems { get; set; } = default!;
    [Inject] private ServerSettings Settings { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? Authentication { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _administrator = Authentication is null ? "" : (await Authentication).User.Identity?.Name ?? "";
        Refresh();
        _ = RefreshLoopAsync();
        await LoadImagesAsync();
    }

    private void Refresh()
    {
        _overview = Administration.GetOverview();
        _runs = [.. _overview.Sessions.SelectMany(s => s.Runs)];
        _log = Problems.Snapshot();
        _problem = Engine.Problem;
    }

    private async Task LoadImagesAsync()
    {
        try
        {
            _images = await Administration.GetImagesAsync(_disposed.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _images = [];
            _error = $"The runtime images could not be read from Docker: {ex.Message}";
        }
    }

    /// <summary>Refreshes the figures while the page is open; stops when it closes.</summary>
    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(RefreshSeconds), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                await InvokeAsync(() =>
                {
                    Refresh();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> ConfirmAsync(string title, string question, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, question, yesText: yes, cancelText: "Cancel") == true;

    private async Task DrainAsync(string runtime)
    {
        if (await ConfirmAsync("Drain the pool?",
                $"Remove the warm {runtime} containers and keep none until you refill it? Runs of {runtime} still work, each on a container made for it, so they start slower.",
                "Drain"))
        {
            Act(Administration.DrainPool(runtime, _administrator), $"There is no {runtime} pool any more.");
        }
    }

    private async Task RefillAsync(string runtime)
    {
        if (await ConfirmAsync("Refill the pool?", $"Make the warm {runtime} containers again, from the image as it is now?", "Refill"))
        {
            Act(Administration.RefillPool(runtime, _administrator), $"There is no {runtime} pool any more.");
        }
    }

    private async Task StopRunAsync(RunOverview run)
    {
        if (await ConfirmAsync("Stop the run?", $"Stop {run.EntryFile} ({run.Language}) of session {run.SessionId}? Its console says it was stopped.", "Stop"))
        {
            Act(await Administration.StopRunAsync(run.Id, _administrator, _disposed.Token), "That run has ended already.");
        }
    }

    private async Task EndSessionAsync(string sessionId)
    {
        if (await ConfirmAsync("End the session?",
                $"End session {sessionId}? Its runs are stopped, and its network, SQL database and notebooks removed. The student's files stay; their next run starts a new session.",
                "End the session"))
        {
            Act(await Administration.EndSessionAsync(sessionId, _administrator), "That session has ended already.");
        }
    }

    private void Act(bool done, string otherwise)
    {
        _error = done ? null : otherwise;
        Refresh();
    }

    private string Ago(DateTimeOffset at)
    {
        var age = Time.GetUtcNow() - at;
        return age.TotalMinutes < 1 ? $"{Math.Max(0, age.TotalSeconds):0} s ago"
            : age.TotalHours < 1 ? $"{age.TotalMinutes:0} min ago"
            : age.TotalDays < 1 ? $"{age.TotalHours:0.#} h ago"
            : $"{age.TotalDays:0.#} days ago";
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
    }
}
