using CodeRunner.Classroom;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Exercises;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>A class's students by its exercises, following submissions live; a click opens a submission's files and results.</summary>
public sealed partial class GradebookPage : IDisposable
{
    private CodeRunner.Classroom.Exercises.Gradebook? _book;
    private SubmissionDetail? _submission;
    private string? _problem;
    private string _teacherId = "";
    private IDisposable? _subscription;

    [Parameter] public Guid ClassId { get; set; }

    [Inject] private IExerciseService Exercises { get; set; } = default!;
    [Inject] private IClassroomEvents Events { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User) ?? "";
        try
        {
            _book = await Exercises.GradebookAsync(_teacherId, ClassId);
            _subscription = Events.Subscribe(ClassId, OnClassEvent);
        }
        catch (ClassroomAccessException ex)
        {
            _problem = ex.Message;
        }
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        if (classEvent is SubmissionRecorded or ExercisesChanged or StudentChanged)
        {
            _ = InvokeAsync(async () =>
            {
                _book = await Exercises.GradebookAsync(_teacherId, ClassId);
                StateHasChanged();
            });
        }
    }

    private async Task OpenAsync(Guid submissionId)
    {
        try
        {
            _submission = await Exercises.GetSubmissionAsync(_teacherId, submissionId);
        }
        catch (ClassroomAccessException ex)
        {
            _problem = ex.Message;
        }
    }

    /// <summary>A stored result as the result view shows it: its teacher sees every case whole, as stored.</summary>
    private static CaseView View(CaseResultRecord r) => new(r.Index, r.Name, r.Outcome, r.Visible, r.Points, r.Earned, r.Message,
        Stdin: null, Expected: null, r.Stdout, r.Stderr, OutputTruncated: false, r.TimeMs, r.MemoryBytes);

    public void Dispose() => _subscription?.Dispose();
}
