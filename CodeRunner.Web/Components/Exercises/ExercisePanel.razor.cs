using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Exercises;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;

namespace CodeRunner.Web.Components.Exercises;

/// <summary>
/// A student's exercises: the list follows the teacher's publishing live; an opened exercise shows its statement, and
/// Check and Submit run its cases on the student's current files, saved first.
/// </summary>
public sealed partial class ExercisePanel : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<StudentExercise> _exercises = [];
    private IReadOnlyList<SubmissionSummary> _submissions = [];
    private StudentExercise? _open;
    private MarkupString _statement;
    private CheckReport? _report;
    private string? _error;
    private string? _problem;
    private bool _running;
    private bool _submitting;
    private string _progress = "";
    private IDisposable? _subscription;

    /// <summary>The student whose exercises these are.</summary>
    [Parameter, EditorRequired] public StudentIdentity Student { get; set; } = default!;

    /// <summary>Called before a check reads the files, so that the editor's last keystrokes are in them.</summary>
    [Parameter] public Func<Task>? BeforeCheck { get; set; }

    [Inject] private IExerciseService Exercises { get; set; } = default!;
    [Inject] private ExerciseChecks Checks { get; set; } = default!;
    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private IClassroomEvents Events { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<ExercisePanel> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _subscription = Events.Subscribe(Student.ClassId, OnClassEvent);
        await ReloadAsync();
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        if (classEvent is ExercisesChanged)
        {
            _ = InvokeAsync(async () =>
            {
                await ReloadAsync();
                StateHasChanged();
            });
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            _exercises = await Exercises.ListForStudentAsync(Student.StudentId, _disposed.Token);
            _problem = null;
            if (_open is { } open)
            {
                // The teacher may have changed it: show the new text, or close it if it is gone.
                _open = _exercises.FirstOrDefault(e => e.Id == open.Id);
                _statement = _open is null ? default : new MarkupString(StatementMarkdown.ToHtml(_open.Statement));
            }
        }
        catch (ClassroomException ex)
        {
            _problem = ex.Message;
        }
    }

    private async Task OpenAsync(StudentExercise exercise)
    {
        _open = exercise;
        _statement = new MarkupString(StatementMarkdown.ToHtml(exercise.Statement));
        _report = null;
        _error = null;
        _submissions = await Exercises.SubmissionsForStudentAsync(Student.StudentId, exercise.Id, _disposed.Token);
    }

    private void Close()
    {
        _open = null;
        _report = null;
        _error = null;
    }

    private bool Late(StudentExercise exercise) => exercise.Deadline is { } deadline && Clock.GetUtcNow() > deadline;

    private async Task CheckAsync(bool submit)
    {
        if (_open is not { } exercise || _running)
        {
            return;
        }

        _running = true;
        _submitting = submit;
        _progress = "";
        _error = null;
        _report = null;
        StateHasChanged();
        try
        {
            if (BeforeCheck is not null)
            {
                await BeforeCheck();
            }

            if (!Store.Project.IsFile(exercise.EntryFile))
            {
                _error = $"Your project has no {exercise.EntryFile}, the file this exercise runs. Make it again (or rename yours to it), then try again.";
                return;
            }

            if (submit)
            {
                await Store.SaveAsync(); // what is handed in is also what the server keeps
            }

            _report = await Checks.CheckAsync(Student.StudentId, exercise, exercise.EntryFile, Store.Project.Files, submit,
                (done, of) => ShowProgress($"{done} of {of} cases done"),
                status => ShowProgress(status.Length == 0 ? "" : $"({status})"), _disposed.Token);
            if (submit)
            {
                _submissions = await Exercises.SubmissionsForStudentAsync(Student.StudentId, exercise.Id, _disposed.Token);
            }
        }
        catch (Exception ex) when (ex is ClassroomException or InvalidRunRequestException or RuntimeUnavailableException or ArgumentException)
        {
            _error = ex.Message;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.ExerciseCheckFailed(Logger, exercise.Id, ex);
            _error = $"The cases could not run: {ex.Message}. Try again in a moment; if it keeps happening, tell your teacher.";
        }
        finally
        {
            _running = false;
        }
    }

    private void ShowProgress(string text) => _ = InvokeAsync(() =>
    {
        _progress = text;
        StateHasChanged();
    });

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
