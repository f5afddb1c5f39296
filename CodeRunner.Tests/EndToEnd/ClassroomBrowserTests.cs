using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The classroom end to end, in Chromium against the real web host (its own SQLite file) and the real Docker engine:
/// a teacher makes a class, students join in their own browsers, and everything the teacher sees follows live.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClassroomBrowserTests(IdeFixture fixture)
{
    private ClassroomPages Pages { get; } = new(fixture);

    [Fact]
    public async Task TeacherAndTwoStudents_RosterHandoutsDownloadAndComingBack_AllLive()
    {
        var teacher = await Pages.SignInAsTeacherAsync();
        var (classId, code) = await ClassroomPages.MakeClassAsync(teacher, "Period 3");
        Assert.Matches("^[A-Z2-9]{8}$", code);

        var ada = await Pages.JoinAsync(code, "Ada", "1234");
        var grace = await Pages.JoinAsync(code, "Grace", "5678");
        await Assertions.Expect(ada.TestId("class-badge")).ToContainTextAsync("Period 3");
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Ada")).ToHaveAttributeAsync("data-online", "true");
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Grace")).ToHaveAttributeAsync("data-online", "true");

        // Ada runs a program: the teacher's roster shows it without a reload.
        await ada.CreateFileAsync("hello.py");
        await ada.PasteAsync("import time\nprint('hi from Ada', flush=True)\ntime.sleep(2)\n");
        await ada.RunAsync("hello.py");
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Ada")).ToHaveAttributeAsync("data-running", "true");
        Assert.Contains("exit code 0", await ada.WaitForVerdictAsync("hello.py"));
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Ada").GetByTestId("roster-last-verdict")).ToHaveAttributeAsync("data-outcome", "succeeded");
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Ada").GetByTestId("roster-last-verdict")).ToContainTextAsync("hello.py");

        // The teacher hands out a zip: it appears in both projects, open pages included, without a reload.
        await teacher.GetByTestId("push-files-input").SetInputFilesAsync(new FilePayload
        {
            Name = "lab1.zip",
            MimeType = "application/zip",
            Buffer = ClassroomPages.Zip(("lab1/task.py", "print('task')\n"), ("lab1/data.txt", "1 2 3\n")),
        });
        await ada.ExplorerItem("lab1/task.py").WaitForAsync();
        await grace.ExplorerItem("lab1/task.py").WaitForAsync();

        // A message to the class shows as a banner in every student's IDE.
        await teacher.GetByTestId("broadcast-input").FillAsync("Stop typing and look up, please");
        await teacher.GetByTestId("broadcast-send").ClickAsync();
        await Assertions.Expect(ada.TestId("broadcast-banner")).ToContainTextAsync("look up");
        await Assertions.Expect(grace.TestId("broadcast-banner")).ToContainTextAsync("look up");

        // "Download all": one zip with a folder per student.
        var download = await teacher.RunAndWaitForDownloadAsync(() => teacher.GetByTestId("download-all").ClickAsync());
        using (var zip = new ZipArchive(File.OpenRead(await download.PathAsync()), ZipArchiveMode.Read))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("Ada/hello.py", entries);
            Assert.Contains("Ada/lab1/task.py", entries);
            Assert.Contains("Grace/lab1/task.py", entries);
        }

        // A wrong PIN says so; the right one, in a fresh browser, brings Ada's work back.
        var wrong = await Pages.NewPageAsync();
        await wrong.GotoAsync(Pages.Url("join").ToString());
        await wrong.GetByTestId("join-code").FillAsync(code);
        await wrong.GetByTestId("join-name").FillAsync("ada");
        await wrong.GetByTestId("join-pin").FillAsync("9999");
        await wrong.GetByTestId("join-submit").ClickAsync();
        await Assertions.Expect(wrong.GetByTestId("join-error")).ToContainTextAsync("PIN");

        var adaAgain = await Pages.JoinAsync(code, "Ada", "1234");
        await adaAgain.ExplorerItem("hello.py").WaitForAsync();
        await adaAgain.ExplorerItem("lab1/task.py").WaitForAsync();
        await adaAgain.OpenAsync("hello.py");
        await Assertions.Expect(adaAgain.Editor).ToContainTextAsync("hi from Ada");

        // The teacher looks over Grace's shoulder.
        await Pages.GoToTeacherPageAsync(teacher, $"teacher/classes/{classId}/students/{await Pages.StudentIdAsync(teacher, classId, "Grace")}");
        await Assertions.Expect(teacher.GetByTestId("student-view")).ToBeVisibleAsync();
        await teacher.Locator("[data-testid='student-file'][data-path='lab1/task.py']").ClickAsync();
        await Assertions.Expect(teacher.GetByTestId("student-editor")).ToContainTextAsync("print('task')");
        await teacher.WaitForFunctionAsync("() => monaco.editor.getModels().some(m => m.getLanguageId() === 'python')"); // in the language the server runs it in
    }

    /// <summary>
    /// A network change on the server's own machine (Docker making a session network) can abort a script of the page.
    /// The sign-in page works without its scripts, so it must not load itself again: that reload used to cut off the
    /// form the teacher had just sent, and left them on an empty sign-in page (the sign-in is held back here until the
    /// reload would have come).
    /// </summary>
    [Fact]
    public async Task SignInPage_WhoseScriptFailedToLoad_StillSignsIn_WithoutLoadingItselfAgain()
    {
        var page = await Pages.NewPageAsync();
        var scripts = 0;
        await page.RouteAsync("**/_framework/blazor.web*.js", route =>
            Interlocked.Increment(ref scripts) == 1 ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        await page.RouteAsync("**/login", async route =>
        {
            if (route.Request.Method == "POST")
            {
                await Task.Delay(2_000);
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync(Pages.Url("login").ToString());
        await page.GetByTestId("login-user").FillAsync(IdeFixture.TeacherUser);
        await page.GetByTestId("login-password").FillAsync(IdeFixture.TeacherPassword);
        await page.GetByTestId("login-submit").ClickAsync();

        await IdeBrowser.WaitForAddressAsync(page, new Regex("/teacher$"));
        await ClassroomPages.TeacherPageReadyAsync(page);
        Assert.Equal(2, scripts); // the failed one on the sign-in page, then the teacher's page's own
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leaving_SignsTheBrowserOut_AndLeavesNothingOfTheProjectInIt()
    {
        var teacher = await Pages.SignInAsTeacherAsync();
        var (_, code) = await ClassroomPages.MakeClassAsync(teacher, "Leavers");

        // Work of Lin's own in this browser before joining: joining offers to move it into the class project.
        var page = await Pages.NewPageAsync();
        await fixture.LoadIdeAsync(page, () => page.GotoAsync(fixture.Host.Address.ToString()));
        var solo = new IdePage(page);
        await solo.CreateFileAsync("solo.py");
        await solo.PasteAsync("print('before the class')\n");
        await page.Keyboard.PressAsync("Control+s");
        var student = await Pages.JoinAsync(code, "Lin", "4321", page, soloWork: "solo-work-move");
        await student.ExplorerItem("solo.py").WaitForAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('coderunner.v1.file:')).length"));

        await student.CreateFileAsync("secret.py");
        await student.PasteAsync("print('mine')\n");
        await student.Page.Keyboard.PressAsync("Control+s");
        await Assertions.Expect(ClassroomPages.RosterRow(teacher, "Lin")).ToHaveAttributeAsync("data-online", "true");

        await student.TestId("leave-class").ClickAsync();
        await student.Page.GetByTestId("left-class").WaitForAsync();

        var kept = await student.Page.EvaluateAsync<string[]>("() => Object.keys(localStorage).filter(k => k.includes('class.'))");
        Assert.Empty(kept);
        await fixture.LoadIdeAsync(student.Page, () => student.Page.GotoAsync(fixture.Host.Address.ToString()));
        await Assertions.Expect(student.TestId("join-class-button")).ToBeVisibleAsync();
        Assert.Equal(0, await student.ExplorerItem("secret.py").CountAsync());
    }

    [Fact]
    public async Task AStudentOrAnotherTeacher_CannotReachAClassOrAStudentsWork_ByGuessingIds()
    {
        var teacher = await Pages.SignInAsTeacherAsync();
        var (classId, code) = await ClassroomPages.MakeClassAsync(teacher, "Private");
        var ada = await Pages.JoinAsync(code, "Ada", "1111");
        await ada.CreateFileAsync("ada.py");
        await ada.PasteAsync("print('only mine')\n");
        await ada.Page.Keyboard.PressAsync("Control+s");
        var adaId = await Pages.StudentIdAsync(teacher, classId, "Ada");

        // Another teacher of the server, added by the first.
        await Pages.GoToTeacherPageAsync(teacher, "teacher");
        await teacher.GetByTestId("teacher-new-user").FillAsync("other-teacher");
        await teacher.GetByTestId("teacher-new-password").FillAsync("another-password");
        await teacher.GetByTestId("teacher-add").ClickAsync();
        await Assertions.Expect(teacher.GetByTestId("teacher-added")).ToContainTextAsync("can now sign in");
        var other = await Pages.SignInAsTeacherAsync("other-teacher", "another-password");
        await Pages.GoToTeacherPageAsync(other, $"teacher/classes/{classId}");
        await Assertions.Expect(other.GetByTestId("class-problem")).ToBeVisibleAsync();
        await Pages.GoToTeacherPageAsync(other, $"teacher/classes/{classId}/students/{adaId}");
        await Assertions.Expect(other.GetByTestId("student-problem")).ToBeVisibleAsync();
        var otherDownload = await other.APIRequest.GetAsync(Pages.Url($"teacher/classes/{classId}/download").ToString(),
            new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.NotFound, otherDownload.Status);

        // A student, with their own cookie, gets no teacher page and no download.
        var grace = await Pages.JoinAsync(code, "Grace", "2222");
        var download = await grace.Page.APIRequest.GetAsync(Pages.Url($"teacher/classes/{classId}/download").ToString(),
            new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, download.Status);
        Assert.Contains("/login", download.Headers["location"]);
        await grace.Page.GotoAsync(Pages.Url($"teacher/classes/{classId}/students/{adaId}").ToString());
        await IdeBrowser.WaitForAddressAsync(grace.Page, new Regex("/login"));
        await Assertions.Expect(grace.Page.GetByText("only mine")).ToHaveCountAsync(0);
    }
}
