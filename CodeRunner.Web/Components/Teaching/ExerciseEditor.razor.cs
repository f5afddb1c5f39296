using CodeRunner.Classroom;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Exercises;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>
/// A teacher writes an exercise: every field of it, the cases, a run of the reference solution that flags the cases it
/// fails, and publishing, which hands the starter files out to the class.
/// </summary>
public sealed partial class ExerciseEditor : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private ExerciseForm _form = ExerciseForm.New();
    private CheckReport? _solution;
    private string _teacherId = "";
    private string? _problem;
    private string? _error;
    private bool _published;
    private bool _busy;
    private string _busyText = "";

    [Parameter] public Guid ClassId { get; set; }
    [Parameter] public Guid? ExerciseId { get; set; }

    [Inject] private IExerciseService Exercises { get; set; } = default!;
    [Inject] private IClassService Classes { get; set; } = default!;
    [Inject] private ExerciseChecks Checks { get; set; } = default!;
    [Inject] private IExecutionEngine Engine { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ExerciseEditor> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User) ?? "";
        try
        {
            await Classes.GetAsync(_teacherId, ClassId, _disposed.Token);
            if (ExerciseId is { } id)
            {
                var detail = await Exercises.GetAsync(_teacherId, id, _disposed.Token);
                if (detail.ClassId != ClassId)
                {
                    throw new ClassroomAccessException();
                }

                _form = ExerciseForm.From(detail.Draft, TimeZoneInfo.Local);
                _published = detail.Published;
            }
        }
        catch (ClassroomAccessException ex)
        {
            _problem = ex.Message;
        }
    }

    private void AddCase() => _form.Cases.Add(new CaseForm { Name = $"case {_form.Cases.Count + 1}" });

    /// <summary>Stores the form; true when it was stored (else <see cref="_error"/> says why, and the form keeps every keystroke).</summary>
    private async Task<bool> StoreAsync()
    {
        try
        {
            var draft = _form.ToDraft(TimeZoneInfo.Local);
            if (ExerciseId is { } id)
            {
                await Exercises.UpdateAsync(_teacherId, id, draft, _disposed.Token);
            }
            else
            {
                var created = await Exercises.CreateAsync(_teacherId, ClassId, draft, _disposed.Token);
                ExerciseId = created.Id;
                // The address of the exercise from now on, without reloading the page (and the form with it).
                Navigation.NavigateTo($"teacher/classes/{ClassId}/exercises/{created.Id}", new NavigationOptions { ReplaceHistoryEntry = true });
            }

            _error = null;
            return true;
        }
        catch (ClassroomException ex)
        {
            _error = ex.Message;
            return false;
        }
    }

    private Task SaveAsync() => BusyAsync("Saving…", async () =>
    {
        if (await StoreAsync())
        {
            Snackbar.Add(_published ? "Saved. Students see the new statement and cases at once." : "Saved as a draft: students do not see it until you publish it.",
                Severity.Success);
        }
    });

    private Task RunSolutionAsync() => BusyAsync("Running the solution against every case…", async () =>
    {
        try
        {
            var draft = _form.ToDraft(TimeZoneInfo.Local);
            _solution = await Checks.RunSolutionAsync(draft, (done, of) => _ = InvokeAsync(() =>
            {
                _busyText = $"Running the solution: {done} of {of} cases done…";
                StateHasChanged();
            }), _disposed.Token);
            var failing = _solution.Cases.Count(c => !c.Passed);
            _error = null;
            Snackbar.Add(failing == 0 ? "The solution passes every case." : $"The solution fails {failing} of {_solution.Cases.Count} cases: they are flagged below.",
                failing == 0 ? Severity.Success : Severity.Warning);
        }
        catch (Exception ex) when (ex is InvalidRunRequestException or RuntimeUnavailableException or ArgumentException)
        {
            _error = "The solution could not run: " + ex.Message;
        }
    });

    private Task PublishAsync() => BusyAsync("Publishing…", async () =>
    {
        if (!await StoreAsync() || ExerciseId is not { } id)
        {
            return;
        }

        try
        {
            var outcome = await Exercises.PublishAsync(_teacherId, id, _disposed.Token);
            _published = true;
            Snackbar.Add($"Published: its starter files went to {outcome.Students} {(outcome.Students == 1 ? "student" : "students")}" +
                         (outcome.Renamed > 0 ? $"; {outcome.Renamed} took another name beside a student's own file." : "."), Severity.Success);
        }
        catch (ClassroomException ex)
        {
            _error = ex.Message;
        }
    });

    private async Task DeleteAsync()
    {
        if (ExerciseId is not { } id)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete {_form.Title}?",
            "The exercise and every submission to it are deleted. Files already handed out stay in the students' projects.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await BusyAsync("Deleting…", async () =>
            {
                await Exercises.DeleteAsync(_teacherId, id, _disposed.Token);
                Navigation.NavigateTo($"teacher/classes/{ClassId}");
            });
        }
    }

    private async Task BusyAsync(string text, Func<Task> work)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        _busyText = text;
        StateHasChanged();
        try
        {
            await work();
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever else fails (Docker gone, the database unreachable) is said here and logged, and the page and
            // the form, with everything typed in it, stay.
            Log.ExerciseCheckFailed(Logger, ExerciseId ?? Guid.Empty, ex);
            _error = $"{text.TrimEnd('…')} failed: {ex.Message}. Nothing typed here is lost; try again in a moment.";
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
