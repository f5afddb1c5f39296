using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>
/// A class: its join code, large enough to project; the roster, live (who is online, what runs, how the last run
/// ended); hand-outs, messages, the zip of everyone's work, and what the teacher may change about a student.
/// </summary>
public sealed partial class ClassPage : IDisposable
{
    /// <summary>Events that come together (a run's start and end, thirty students at once) make one reload.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);

    private ClassSummary? _class;
    private IReadOnlyList<RosterEntry> _roster = [];
    private IReadOnlyList<ExerciseSummary> _exercises = [];
    private string? _problem;
    private string _message = "";
    private string _teacherId = "";
    private IDisposable? _subscription;
    private int _reloadQueued;

    [Parameter] public Guid ClassId { get; set; }

    [Inject] private IClassService Classes { get; set; } = default!;
    [Inject] private IStudentAccounts Accounts { get; set; } = default!;
    [Inject] private IStudentProjects Projects { get; set; } = default!;
    [Inject] private IExerciseService Exercises { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IClassroomEvents Events { get; set; } = default!;
    [Inject] private IClassPresence Presence { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IOptions<WorkspaceOptions> Limits { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User) ?? "";
        try
        {
            _class = await Classes.GetAsync(_teacherId, ClassId);
        }
        catch (ClassroomAccessException ex)
        {
            _problem = ex.Message;
            return;
        }

        _subscription = Events.Subscribe(ClassId, OnClassEvent);
        await ReloadRosterAsync();
        _exercises = await Exercises.ListAsync(_teacherId, ClassId);
    }

    private async Task ReloadRosterAsync() => _roster = await Classes.RosterAsync(_teacherId, ClassId, StartOfToday());

    /// <summary>Midnight where the server is: "today" as the school means it.</summary>
    private static DateTimeOffset StartOfToday()
    {
        var today = DateTime.Today;
        return new DateTimeOffset(today, TimeZoneInfo.Local.GetUtcOffset(today));
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        switch (classEvent)
        {
            case PresenceChanged:
                _ = InvokeAsync(StateHasChanged); // presence is read when rendering
                break;
            case RunRecorded or StudentChanged:
                if (Interlocked.Exchange(ref _reloadQueued, 1) == 0)
                {
                    _ = ReloadSoonAsync();
                }

                break;
        }
    }

    private async Task ReloadSoonAsync()
    {
        await Task.Delay(Coalesce);
        Interlocked.Exchange(ref _reloadQueued, 0);
        await InvokeAsync(async () =>
        {
            await ReloadRosterAsync();
            StateHasChanged();
        });
    }

    private async Task SendAsync()
    {
        try
        {
            await Classes.SendBroadcastAsync(_teacherId, ClassId, _message);
            Snackbar.Add("Sent to the class.", Severity.Success);
            _message = "";
        }
        catch (ClassroomException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private async Task HandOutAsync(InputFileChangeEventArgs e)
    {
        List<(string Path, string Content)> files;
        try
        {
            files = await Uploads.ReadFilesOrZipAsync(e.GetMultipleFiles(Limits.Value.MaxFiles + 1), Limits.Value);
        }
        catch (WorkspaceException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return;
        }

        try
        {
            var outcome = await Projects.HandOutAsync(_teacherId, ClassId, files);
            Snackbar.Add($"Handed out {files.Count} {(files.Count == 1 ? "file" : "files")} to {outcome.Students} " +
                         $"{(outcome.Students == 1 ? "student" : "students")}" +
                         (outcome.Renamed > 0 ? $"; {outcome.Renamed} took another name beside a student's own file of the same name." : "."),
                Severity.Success);
        }
        catch (ClassroomException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    /// <summary>Imports an exercise zip as a draft of this class, and opens it, so that the teacher checks it before publishing.</summary>
    private async Task ImportAsync(InputFileChangeEventArgs e)
    {
        try
        {
            using var zip = await Uploads.CopyZipAsync(e.File, Limits.Value);
            var created = await Exercises.ImportAsync(_teacherId, ClassId, zip);
            Snackbar.Add($"Imported \"{created.Title}\" with {created.Cases} cases, as a draft: run the solution, then publish it.", Severity.Success);
            Navigation.NavigateTo($"teacher/classes/{ClassId}/exercises/{created.Id}");
        }
        catch (Exception ex) when (ex is ClassroomException or WorkspaceException)
        {
            Snackbar.Add($"{e.File.Name} was not imported: {ex.Message}", Severity.Error);
        }
    }

    private async Task RenameAsync(RosterEntry row)
    {
        if (await PromptAsync($"Rename {row.Name}", "New name", row.Name, secret: false) is not { } name)
        {
            return;
        }

        await TryAsync(() => Accounts.RenameAsync(_teacherId, row.StudentId, name), $"{row.Name} is now {name.Trim()}.");
    }

    private async Task ResetPinAsync(RosterEntry row)
    {
        if (await PromptAsync($"New PIN for {row.Name}", "4 to 8 digits", "", secret: true) is not { } pin)
        {
            return;
        }

        await TryAsync(() => Accounts.ResetPinAsync(_teacherId, row.StudentId, pin), $"{row.Name} signs in with the new PIN from now on.");
    }

    private async Task RemoveAsync(RosterEntry row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Remove {row.Name}?",
            $"{row.Name}'s project and runs are deleted from the server. This cannot be undone.", yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true)
        {
            await TryAsync(() => Accounts.RemoveAsync(_teacherId, row.StudentId), $"{row.Name} was removed.");
        }
    }

    private async Task<string?> PromptAsync(string title, string label, string value, bool secret)
    {
        var parameters = new DialogParameters<PromptDialog> { { d => d.Label, label }, { d => d.Value, value }, { d => d.Secret, secret } };
        var dialog = await Dialogs.ShowAsync<PromptDialog>(title, parameters);
        return await dialog.Result is { Canceled: false, Data: string text } ? text : null;
    }

    private async Task TryAsync(Func<Task> action, string done)
    {
        try
        {
            await action();
            Snackbar.Add(done, Severity.Success);
            await ReloadRosterAsync();
        }
        catch (ClassroomException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
