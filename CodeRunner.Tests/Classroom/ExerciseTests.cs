using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;

namespace CodeRunner.Tests.Classroom;

/// <summary>Authoring, publishing, what students see and submit, and the gradebook; run against each provider.</summary>
public abstract class ExerciseTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    private static readonly CaseDraft Visible = new("small", "1 2\n", "3\n", Points: 2);
    private static readonly CaseDraft Hidden = new("secret", "40 2\n", "42\n", CaseComparison.Tokens, TimeLimitMs: 2000, Points: 3, Visible: false);

    private static ExerciseDraft Draft(string title = "Sum of two", DateTimeOffset? deadline = null) => new(
        title, "# Sum\nRead two numbers, print their sum.", "python", "main.py", deadline,
        [("main.py", "# read two numbers\n")], [("main.py", "a, b = map(int, input().split())\nprint(a + b)\n")], [Visible, Hidden]);

    [Fact]
    public async Task Create_ThenGet_ReturnsTheDraftAsSaved()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        var summary = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft());

        var detail = await App.Exercises.GetAsync(teacherId, summary.Id);
        Assert.Equal(new ExerciseSummary(summary.Id, "Sum of two", false, null, 2, 5), summary);
        Assert.Equal(("Sum of two", Draft().Statement, "python", "main.py", (DateTimeOffset?)null),
            (detail.Draft.Title, detail.Draft.Statement, detail.Draft.Language, detail.Draft.EntryFile, detail.Draft.Deadline));
        Assert.Equal([Visible, Hidden], detail.Draft.Cases);
        Assert.Equal(Draft().StarterFiles, detail.Draft.StarterFiles);
        Assert.Equal(Draft().SolutionFiles, detail.Draft.SolutionFiles);
    }

    [Fact]
    public async Task Update_ReplacesTheCasesAndFields_AndListShowsIt()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var first = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft("First"));
        await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft("Second"));
        var deadline = Start.AddDays(7);

        await App.Exercises.UpdateAsync(teacherId, first.Id, Draft("First, again", deadline) with { Cases = [Hidden] });

        var list = await App.Exercises.ListAsync(teacherId, schoolClass.Id);
        Assert.Equal([new ExerciseSummary(first.Id, "First, again", false, deadline, 1, 3), list[1] with { Title = "Second" }], list);
        Assert.Equal([Hidden], (await App.Exercises.GetAsync(teacherId, first.Id)).Draft.Cases);
    }

    [Fact]
    public async Task Create_BreakingARule_IsRefusedWithTheCaseNamed()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Exercises.CreateAsync(teacherId, schoolClass.Id,
            Draft() with { Cases = [Visible with { Name = "big", ExpectedOutput = new string('x', 3_355_443) }] }));

        Assert.Equal("case 'big' has 3.2 MB of expected output; the most is 1 MB", refused.Message);
        Assert.Empty(await App.Exercises.ListAsync(teacherId, schoolClass.Id));
    }

    [Fact]
    public async Task Create_UnknownLanguage_SaysWhichTheServerRuns()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        var refused = await Assert.ThrowsAsync<ClassroomException>(() =>
            App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft() with { Language = "cobol" }));

        Assert.Equal("unknown language 'cobol'; this server runs: c, cpp, java, javascript, python", refused.Message);
    }

    [Fact]
    public async Task AnotherTeacher_CannotReadEditPublishDeleteOrSeeTheGradebook()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft());
        var other = await App.AddTeacherAsync("other");

        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.GetAsync(other, exercise.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.UpdateAsync(other, exercise.Id, Draft("Mine now")));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.PublishAsync(other, exercise.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.DeleteAsync(other, exercise.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.ListAsync(other, schoolClass.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.CreateAsync(other, schoolClass.Id, Draft()));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.GradebookAsync(other, schoolClass.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.GetAsync(teacherId, Guid.NewGuid()));
        Assert.Equal("Sum of two", (await App.Exercises.GetAsync(teacherId, exercise.Id)).Draft.Title);
    }

    [Fact]
    public async Task Publish_StudentsInTheClass_GetTheStarterFilesInTheExercisesFolder()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print('starter project')", 0)], [], [], "tab");
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft("Sum of two!"));
        using var events = App.Listen(schoolClass.Id);

        var outcome = await App.Exercises.PublishAsync(teacherId, exercise.Id);

        var files = (await App.Projects.LoadAsync(ana.StudentId)).Files.ToDictionary(f => f.Path, f => f.Content);
        Assert.Equal(1, outcome.Students);
        Assert.Equal("print('starter project')", files["main.py"]);
        Assert.Equal("# read two numbers\n", files["sum-of-two/main.py"]);
        Assert.Equal([new ExercisesChanged(schoolClass.Id)], events.Of<ExercisesChanged>());
        Assert.Equal("sum-of-two/main.py", Assert.Single(await App.Exercises.ListForStudentAsync(ana.StudentId)).EntryFile);
    }

    [Fact]
    public async Task Publish_StudentJoinsLater_GetsTheStarterFilesToo()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft() with { StarterFiles = [("sum/main.py", "# go")], EntryFile = "sum/main.py" });
        await App.Exercises.PublishAsync(teacherId, exercise.Id);

        var late = await App.JoinAsync(schoolClass, "Late");

        Assert.Equal([("sum/main.py", "# go")], (await App.Projects.LoadAsync(late.StudentId)).Files.Select(f => (f.Path, f.Content)));
    }

    [Fact]
    public async Task ListForStudent_ShowsOnlyPublishedExercisesOfTheirClass_WithoutHiddenData()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var (otherTeacher, otherClass) = await TeacherWithClassAsync("8C");
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var published = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft("Published"));
        await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft("Draft only"));
        var elsewhere = await App.Exercises.CreateAsync(otherTeacher, otherClass.Id, Draft("Elsewhere"));
        await App.Exercises.PublishAsync(teacherId, published.Id);
        await App.Exercises.PublishAsync(otherTeacher, elsewhere.Id);

        var seen = await App.Exercises.ListForStudentAsync(ana.StudentId);

        var exercise = Assert.Single(seen);
        Assert.Equal("Published", exercise.Title);
        Assert.Equal(5, exercise.Points);
        Assert.Equal([new StudentCase(0, "small", true, 2, "1 2\n", "3\n"), new StudentCase(1, "secret", false, 3, null, null)], exercise.Cases);
    }

    [Fact]
    public async Task CasesForRun_VisibleOrAll_AndNothingOfAnotherClassOrUnpublished()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft());
        var (otherTeacher, otherClass) = await TeacherWithClassAsync("8C");
        var elsewhere = await App.Exercises.CreateAsync(otherTeacher, otherClass.Id, Draft());
        await App.Exercises.PublishAsync(otherTeacher, elsewhere.Id);

        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.CasesForRunAsync(ana.StudentId, exercise.Id, true));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.CasesForRunAsync(ana.StudentId, elsewhere.Id, true));
        await App.Exercises.PublishAsync(teacherId, exercise.Id);
        Assert.Equal([Visible], await App.Exercises.CasesForRunAsync(ana.StudentId, exercise.Id, includeHidden: false));
        Assert.Equal([Visible, Hidden], await App.Exercises.CasesForRunAsync(ana.StudentId, exercise.Id, includeHidden: true));
    }

    [Fact]
    public async Task RecordSubmission_ScoresAndStoresWithoutHiddenOutput()
    {
        var (teacherId, schoolClass, ana, exercise) = await PublishedAsync();

        var summary = await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [("sum-of-two/main.py", "print(3)")],
            [Result(0, "small", "passed", 2), Result(1, "secret", "wrong-answer", 0)]);

        var detail = await App.Exercises.GetSubmissionAsync(teacherId, summary.Id);
        Assert.Equal(new SubmissionSummary(summary.Id, exercise.Id, ana.StudentId, Start, false, 2, 5), summary);
        Assert.Equal(("Ana", "Sum of two", summary), (detail.StudentName, detail.ExerciseTitle, detail.Summary));
        Assert.Equal([("sum-of-two/main.py", "print(3)")], detail.Files);
        Assert.Equal(("out", "err"), (detail.Results[0].Stdout, detail.Results[0].Stderr));
        Assert.Equal((null, null, "wrong-answer"), (detail.Results[1].Stdout, detail.Results[1].Stderr, detail.Results[1].Outcome));
    }

    [Fact]
    public async Task RecordSubmission_PastTheDeadline_IsStoredAndMarkedLate()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft(deadline: Start.AddHours(1)));
        await App.Exercises.PublishAsync(teacherId, exercise.Id);
        var onTime = await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [], [Result(0, "small", "passed", 2)]);
        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var late = await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [], [Result(0, "small", "passed", 2)]);

        Assert.Equal((false, true), (onTime.Late, late.Late));
        Assert.Equal([late.Id, onTime.Id], (await App.Exercises.SubmissionsForStudentAsync(ana.StudentId, exercise.Id)).Select(s => s.Id));
    }

    [Fact]
    public async Task Gradebook_ShowsBestScoreAttemptsAndLastTimePerStudent()
    {
        var (teacherId, schoolClass, ana, exercise) = await PublishedAsync();
        var ben = await App.JoinAsync(schoolClass, "Ben");
        var best = await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [], [Result(0, "small", "passed", 2), Result(1, "secret", "passed", 3)]);
        Time.Advance(TimeSpan.FromMinutes(5));
        await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [], [Result(0, "small", "wrong-answer", 0)]);

        var book = await App.Exercises.GradebookAsync(teacherId, schoolClass.Id);

        Assert.Equal([exercise.Id], book.Exercises.Select(e => e.Id));
        Assert.Equal(["Ana", "Ben"], book.Rows.Select(r => r.StudentName));
        Assert.Equal(new GradebookCell(exercise.Id, 5, 5, 2, Start.AddMinutes(5), best.Id, false), book.Rows[0].Cells[0]);
        Assert.Equal(new GradebookCell(exercise.Id, null, 5, 0, null, null, false), book.Rows[1].Cells[0]);
        Assert.Equal(ben.StudentId, book.Rows[1].StudentId);
    }

    [Fact]
    public async Task Submissions_OfAnotherClass_AreNotReachable()
    {
        var (teacherId, schoolClass, ana, exercise) = await PublishedAsync();
        var submission = await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [], [Result(0, "small", "passed", 2)]);
        var (otherTeacher, otherClass) = await TeacherWithClassAsync("8C");
        var zoe = await App.JoinAsync(otherClass, "Zoe");

        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.GetSubmissionAsync(otherTeacher, submission.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Exercises.SubmissionsForStudentAsync(zoe.StudentId, exercise.Id));
        await Assert.ThrowsAsync<ClassroomAccessException>(() =>
            App.Exercises.RecordSubmissionAsync(zoe.StudentId, exercise.Id, [], [Result(0, "small", "passed", 2)]));
        Assert.Equal(submission, (await App.Exercises.GetSubmissionAsync(teacherId, submission.Id)).Summary);
    }

    [Fact]
    public async Task Delete_RemovesTheExerciseWithItsSubmissions()
    {
        var (teacherId, schoolClass, ana, exercise) = await PublishedAsync();
        await App.Exercises.RecordSubmissionAsync(ana.StudentId, exercise.Id, [("a.py", "x")], [Result(0, "small", "passed", 2)]);

        await App.Exercises.DeleteAsync(teacherId, exercise.Id);

        Assert.Empty(await App.Exercises.ListAsync(teacherId, schoolClass.Id));
        Assert.Empty(await App.Exercises.ListForStudentAsync(ana.StudentId));
        await using var db = await App.DbAsync();
        Assert.Empty(db.Submissions);
    }

    private async Task<(string TeacherId, ClassSummary Class, StudentIdentity Ana, ExerciseSummary Exercise)> PublishedAsync()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var exercise = await App.Exercises.CreateAsync(teacherId, schoolClass.Id, Draft());
        await App.Exercises.PublishAsync(teacherId, exercise.Id);
        return (teacherId, schoolClass, ana, exercise);
    }

    private static CaseResultRecord Result(int index, string name, string outcome, int earned) =>
        new(index, name, outcome, index == 0, index == 0 ? 2 : 3, earned, null, "out", "err", 50, 9_000_000);
}
