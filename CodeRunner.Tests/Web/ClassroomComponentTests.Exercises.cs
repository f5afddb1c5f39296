using System.IO.Compression;
using Bunit;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Engine.Testing;
using CodeRunner.Web.Components.Exercises;
using CodeRunner.Web.Components.Teaching;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Web;

/// <summary>The exercise pages on the real classroom services; the engine's test runs answer as each test says.</summary>
public sealed partial class ClassroomComponentTests
{
    private IExerciseService Exercises => Services.GetRequiredService<IExerciseService>();

    /// <summary>"Sum": two visible cases (1 and 2 points) and a hidden one (3 points) whose data is marked to be searched for.</summary>
    private static ExerciseDraft SumExercise() => new(
        "Sum",
        "# Sum\n\nPrint the sum of **two** numbers.\n\n<script>window.pwned = 1</script>",
        "python",
        "main.py",
        Deadline: null,
        StarterFiles: [("main.py", "a, b = map(int, input().split())\n")],
        SolutionFiles: [("main.py", "a, b = map(int, input().split())\nprint(a + b)\n")],
        Cases:
        [
            new CaseDraft("one", "1 2\n", "3\n"),
            new CaseDraft("two", "5 5\n", "10\n", Points: 2),
            new CaseDraft("secret", "40404 50505\n", "90909\n", Points: 3, Visible: false),
        ]);

    /// <summary>Every case passes but <paramref name="failing"/>, which prints <paramref name="wrongOutput"/> instead.</summary>
    private void AnswerTestRuns(string failing, string wrongOutput) => EngineSession.TestResults = request => new TestRunResult
    {
        Cases = [.. request.Cases.Select((c, i) => new TestCaseResult
        {
            Index = i,
            Name = c.Name,
            Outcome = c.Name == failing ? TestOutcome.WrongAnswer : TestOutcome.Passed,
            Status = c.Name == failing ? "Wrong answer" : "Accepted",
            Message = c.Name == failing ? $"expected {c.ExpectedOutput.Trim()}" : null,
            Stdout = c.Name == failing ? wrongOutput : c.ExpectedOutput,
            Stderr = c.Name == failing ? "trace of " + wrongOutput : "",
        })],
    };

    private static Task ClickAsync<T>(IRenderedComponent<T> cut, string selector) where T : IComponent =>
        cut.Find(selector).ClickAsync(new MouseEventArgs());

    [Fact]
    public async Task ExercisePanel_FollowsPublishing_ChecksVisibleCases_SubmitShowsHiddenOnlyAsPassedOrFailed()
    {
        var (teacher, schoolClass, ada, _) = await ClassOfTwoAsync();
        var exercise = await Exercises.CreateAsync(teacher, schoolClass.Id, SumExercise());
        SignInStudent(ada);
        RenderProviders();
        await LoadProjectAsync(("c/hello.c", "int main(void) { return 0; }\n"), ("sum/main.py", "a, b = map(int, input().split())\nprint(a - b)\n"));
        var cut = Render<ExercisePanel>(p => p.Add(c => c.Student, ada));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=exercise-list]")));
        Assert.Empty(cut.FindAll("[data-testid=exercise-item]")); // a draft is not the students'

        await Exercises.PublishAsync(teacher, exercise.Id);
        cut.WaitForAssertion(() => Assert.Equal("Sum", cut.Find("[data-testid=exercise-item]").GetAttribute("data-title")));
        await ClickAsync(cut, "[data-testid=exercise-item]");
        cut.WaitForAssertion(() => Assert.Contains("Sum", cut.Find("[data-testid=exercise-statement] h1").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=exercise-statement] script"));
        Assert.Contains("sum/main.py", cut.Markup);

        // Check: only the visible cases go to the engine, and a wrong one shows its input and a diff.
        AnswerTestRuns("two", "0\n");
        await ClickAsync(cut, "[data-testid=check-button]");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=test-result]").Count));
        var check = Assert.Single(EngineSession.TestRuns);
        Assert.Equal(["one", "two"], check.Cases.Select(c => c.Name));
        Assert.Equal("sum/main.py", check.EntryFile);
        Assert.Equal("python", check.Language);
        Assert.Contains(check.Files, f => f.Path == "c/hello.c"); // the student's whole project, as a Run sends it
        var two = cut.Find("[data-testid=test-result][data-case=two]");
        Assert.Equal(("wrong-answer", "true"), (two.GetAttribute("data-outcome"), two.GetAttribute("data-visible")));
        Assert.NotNull(two.QuerySelector("[data-testid=test-diff]"));
        Assert.Contains("5 5", two.TextContent);
        Assert.Equal("1 / 3", cut.Find("[data-testid=score]").TextContent.Trim());

        // Submit: every case runs; the hidden one shows passed or failed, and nothing of its data.
        AnswerTestRuns("secret", "90908\n");
        await ClickAsync(cut, "[data-testid=submit-button]");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=test-result]").Count));
        Assert.Equal(3, EngineSession.TestRuns[^1].Cases.Count);
        var secret = cut.Find("[data-testid=test-result][data-case=secret]");
        Assert.Equal(("wrong-answer", "false"), (secret.GetAttribute("data-outcome"), secret.GetAttribute("data-visible")));
        Assert.Contains("Failed", secret.TextContent);
        Assert.Null(secret.QuerySelector("[data-testid=test-diff]"));
        foreach (var hidden in new[] { "40404", "50505", "90909", "90908" })
        {
            Assert.DoesNotContain(hidden, cut.Markup);
        }

        Assert.Equal("3 / 6", cut.Find("[data-testid=score]").TextContent.Trim());
        var submission = Assert.Single(await Exercises.SubmissionsForStudentAsync(ada.StudentId, exercise.Id));
        Assert.Equal((3, 6, false), (submission.Score, submission.MaxScore, submission.Late));
    }

    [Fact]
    public async Task ExercisePanel_EntryFileGone_SaysWhatToDo_AndRunsNothing()
    {
        var (teacher, schoolClass, ada, _) = await ClassOfTwoAsync();
        var exercise = await Exercises.CreateAsync(teacher, schoolClass.Id, SumExercise());
        await Exercises.PublishAsync(teacher, exercise.Id);
        SignInStudent(ada);
        RenderProviders();
        await LoadProjectAsync(("sum/renamed.py", "print(1)\n"));
        var cut = Render<ExercisePanel>(p => p.Add(c => c.Student, ada));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=exercise-item]")));
        await ClickAsync(cut, "[data-testid=exercise-item]");

        await ClickAsync(cut, "[data-testid=submit-button]");

        cut.WaitForAssertion(() => Assert.Contains("sum/main.py", cut.Find("[data-testid=exercise-error]").TextContent));
        Assert.Empty(EngineSession.TestRuns);
        Assert.Empty(await Exercises.SubmissionsForStudentAsync(ada.StudentId, exercise.Id));
    }

    [Fact]
    public async Task ExerciseEditor_RunTheSolution_FlagsTheCaseItFails()
    {
        var (teacher, schoolClass, _, _) = await ClassOfTwoAsync();
        var exercise = await Exercises.CreateAsync(teacher, schoolClass.Id, SumExercise());
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<ExerciseEditor>(p => p
            .Add(c => c.ClassId, schoolClass.Id).Add(c => c.ExerciseId, exercise.Id));
        cut.WaitForAssertion(() => Assert.Equal("Sum", cut.Find("[data-testid=exercise-title]").GetAttribute("value")));
        Assert.Equal(3, cut.FindAll("[data-testid=exercise-case]").Count);
        AnswerTestRuns("two", "11\n");

        await ClickAsync(cut, "[data-testid=exercise-run-solution]");

        cut.WaitForAssertion(() => Assert.Equal("wrong-answer", cut.Find("[data-testid=exercise-case][data-case=two]").GetAttribute("data-solution")));
        Assert.Contains("flagged", cut.Find("[data-testid=exercise-case][data-case=two]").ClassList);
        Assert.DoesNotContain("flagged", cut.Find("[data-testid=exercise-case][data-case=one]").ClassList);
        Assert.Equal("passed", cut.Find("[data-testid=exercise-case][data-case=secret]").GetAttribute("data-solution"));
        var run = Assert.Single(EngineSession.TestRuns);
        Assert.Equal(3, run.Cases.Count); // the teacher's run has the hidden case too
        Assert.Contains("print(a + b)", run.Files.Single(f => f.Path == "main.py").Content.ToArray().Select(b => (char)b).ToArray());
    }

    [Fact]
    public async Task ExerciseEditor_WhenTheEngineFails_SaysSo_AndKeepsTheForm()
    {
        var (teacher, schoolClass, _, _) = await ClassOfTwoAsync();
        var exercise = await Exercises.CreateAsync(teacher, schoolClass.Id, SumExercise());
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<ExerciseEditor>(p => p.Add(c => c.ClassId, schoolClass.Id).Add(c => c.ExerciseId, exercise.Id));
        cut.WaitForAssertion(() => Assert.Equal("Sum", cut.Find("[data-testid=exercise-title]").GetAttribute("value")));
        cut.Find("[data-testid=exercise-title]").Input("Sum, edited");
        EngineSession.TestResults = _ => throw new InvalidOperationException("The Docker engine stopped answering");

        await ClickAsync(cut, "[data-testid=exercise-run-solution]");

        cut.WaitForAssertion(() => Assert.Contains("The Docker engine stopped answering", cut.Find("[data-testid=exercise-error]").TextContent));
        Assert.Equal("Sum, edited", cut.Find("[data-testid=exercise-title]").GetAttribute("value"));
    }

    [Fact]
    public async Task ClassPage_ImportsAnExerciseZip_AndABadOneSaysWhy()
    {
        var (teacher, schoolClass, _, _) = await ClassOfTwoAsync();
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<ClassPage>(p => p.Add(c => c.ClassId, schoolClass.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=exercise-new]")));
        using var zip = new MemoryStream();
        ExerciseFolder.Write(SumExercise(), zip);

        ImportInput(cut).UploadFiles(InputFileContent.CreateFromBinary([1, 2, 3], "broken.zip"));
        var snackbar = Services.GetRequiredService<MudBlazor.ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message?.Contains("broken.zip was not imported") == true));
        Assert.Empty(await Exercises.ListAsync(teacher, schoolClass.Id));

        ImportInput(cut).UploadFiles(InputFileContent.CreateFromBinary(zip.ToArray(), "sum.zip"));

        var made = await WaitForAsync(async () => (await Exercises.ListAsync(teacher, schoolClass.Id)).SingleOrDefault());
        Assert.Equal(("Sum", 3, 6, false), (made.Title, made.Cases, made.Points, made.Published));
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"teacher/classes/{schoolClass.Id}/exercises/{made.Id}", navigation.Uri));
    }

    [Fact]
    public async Task Gradebook_ShowsBestScoreAndAttempts_AndOpensASubmission()
    {
        var (teacher, schoolClass, ada, grace) = await ClassOfTwoAsync();
        var exercise = await Exercises.CreateAsync(teacher, schoolClass.Id, SumExercise());
        await Exercises.PublishAsync(teacher, exercise.Id);
        CaseResultRecord Result(int index, string name, bool passed, int points) =>
            new(index, name, passed ? "passed" : "wrong-answer", index < 2, points, passed ? points : 0, null, null, null, 10, 0);
        await Exercises.RecordSubmissionAsync(ada.StudentId, exercise.Id, [("sum/main.py", "print(1)\n")],
            [Result(0, "one", true, 1), Result(1, "two", false, 2), Result(2, "secret", false, 3)]);
        await Exercises.RecordSubmissionAsync(ada.StudentId, exercise.Id, [("sum/main.py", "print(sum(map(int, input().split())))\n")],
            [Result(0, "one", true, 1), Result(1, "two", true, 2), Result(2, "secret", true, 3)]);
        SignInTeacher(teacher);
        RenderProviders();

        var cut = Render<GradebookPage>(p => p.Add(c => c.ClassId, schoolClass.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=gradebook]")));
        var adaCell = cut.Find("[data-testid=gradebook-cell][data-student=Ada][data-title=Sum]");
        Assert.Equal(("6", "2"), (adaCell.GetAttribute("data-score"), adaCell.GetAttribute("data-attempts")));
        Assert.Contains("6 / 6", adaCell.TextContent);
        Assert.Contains("no submission", cut.Find("[data-testid=gradebook-cell][data-student=Grace]").TextContent);
        Assert.EndsWith("/gradebook.csv", cut.Find("[data-testid=gradebook-csv]").GetAttribute("href"));

        // Grace submits while the teacher looks: the gradebook follows.
        await Exercises.RecordSubmissionAsync(grace.StudentId, exercise.Id, [("sum/main.py", "print(0)\n")],
            [Result(0, "one", false, 1), Result(1, "two", false, 2), Result(2, "secret", false, 3)]);
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=gradebook-cell][data-student=Grace]").GetAttribute("data-score")));

        await ClickAsync(cut, "[data-testid=gradebook-cell][data-student=Ada] [data-testid=gradebook-open-submission]");
        cut.WaitForAssertion(() => Assert.Contains("print(sum(map(int, input().split())))", cut.Find("[data-testid=submission]").TextContent));
        Assert.Equal(3, cut.FindAll("[data-testid=submission] [data-testid=test-result]").Count);
    }

    private static IRenderedComponent<InputFile> ImportInput(IRenderedComponent<ClassPage> cut) =>
        cut.FindComponents<InputFile>().Single(c => c.Instance.AdditionalAttributes?["data-testid"] as string == "exercise-import-input");

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
