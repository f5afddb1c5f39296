using System.IO.Compression;
using System.Net;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The classroom end to end, in Chromium against the real web host (its own SQLite file) and the real Docker engine:
/// a teacher makes a class, students join in their own browsers, and everything the teacher sees follows live.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClassroomBrowserTests(IdeFixture fixture)
{
    private async Task<IPage> NewPageAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private Uri Url(string path) => new(fixture.Host.Address, path);

    private async Task<IPage> SignInAsTeacherAsync(string user = IdeFixture.TeacherUser, string password = IdeFixture.TeacherPassword)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("login").ToString());
        await page.GetByTestId("login-user").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync("**/teacher");
        await TeacherPageReadyAsync(page);
        return page;
    }

    /// <summary>A teacher's page answers clicks once it runs in its circuit, not while it is only prerendered.</summary>
    private static Task TeacherPageReadyAsync(IPage page) => page.Locator(".teacher[data-interactive=true]").WaitForAsync();

    private async Task GoToTeacherPageAsync(IPage teacher, string path)
    {
        await teacher.GotoAsync(Url(path).ToString());
        await TeacherPageReadyAsync(teacher);
    }

    private static async Task<(string Id, string Code)> MakeClassAsync(IPage teacher, string name)
    {
        await teacher.GetByTestId("new-class-button").ClickAsync();
        await teacher.GetByTestId("class-name-input").FillAsync(name);
        await teacher.GetByTestId("class-create").ClickAsync();
        await teacher.WaitForURLAsync("**/teacher/classes/*");
        await teacher.GetByTestId("class-code").WaitForAsync();
        var code = (await teacher.GetByTestId("class-code").InnerTextAsync()).Trim();
        return (teacher.Url[(teacher.Url.LastIndexOf('/') + 1)..], code);
    }

    private async Task<IdePage> JoinAsync(string code, string name, string pin, IPage? page = null, string? soloWork = null)
    {
        if (page is null)
        {
            page = await NewPageAsync();
            await fixture.LoadIdeAsync(page, () => page.GotoAsync(fixture.Host.Address.ToString()));
        }

        await page.GetByTestId("join-class-button").ClickAsync();
        await page.GetByTestId("join-code").FillAsync(code.ToLowerInvariant()); // any case
        await page.GetByTestId("join-name").FillAsync(name);
        await page.GetByTestId("join-pin").FillAsync(pin);
        await fixture.LoadIdeAsync(page, () => page.GetByTestId("join-submit").ClickAsync());
        await Assertions.Expect(page.GetByTestId("class-badge")).ToContainTextAsync(name);
        if (soloWork is not null)
        {
            await page.GetByTestId(soloWork).ClickAsync();
        }

        return new IdePage(page);
    }

    private static ILocator RosterRow(IPage teacher, string student) =>
        teacher.Locator($"[data-testid='roster-row'][data-student='{student}']");

    private static byte[] Zip(params (string Path, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task TeacherAndTwoStudents_RosterHandoutsDownloadAndComingBack_AllLive()
    {
        var teacher = await SignInAsTeacherAsync();
        var (classId, code) = await MakeClassAsync(teacher, "Period 3");
        Assert.Matches("^[A-Z2-9]{8}$", code);

        var ada = await JoinAsync(code, "Ada", "1234");
        var grace = await JoinAsync(code, "Grace", "5678");
        await Assertions.Expect(ada.TestId("class-badge")).ToContainTextAsync("Period 3");
        await Assertions.Expect(RosterRow(teacher, "Ada")).ToHaveAttributeAsync("data-online", "true");
        await Assertions.Expect(RosterRow(teacher, "Grace")).ToHaveAttributeAsync("data-online", "true");

        // Ada runs a program: the teacher's roster shows it without a reload.
        await ada.CreateFileAsync("hello.py");
        await ada.PasteAsync("import time\nprint('hi from Ada', flush=True)\ntime.sleep(2)\n");
        await ada.RunAsync("hello.py");
        await Assertions.Expect(RosterRow(teacher, "Ada")).ToHaveAttributeAsync("data-running", "true");
        Assert.Contains("exit code 0", await ada.WaitForVerdictAsync("hello.py"));
        await Assertions.Expect(RosterRow(teacher, "Ada").GetByTestId("roster-last-verdict")).ToHaveAttributeAsync("data-outcome", "succeeded");
        await Assertions.Expect(RosterRow(teacher, "Ada").GetByTestId("roster-last-verdict")).ToContainTextAsync("hello.py");

        // The teacher hands out a zip: it appears in both projects, open pages included, without a reload.
        await teacher.GetByTestId("push-files-input").SetInputFilesAsync(new FilePayload
        {
            Name = "lab1.zip",
            MimeType = "application/zip",
            Buffer = Zip(("lab1/task.py", "print('task')\n"), ("lab1/data.txt", "1 2 3\n")),
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
        var wrong = await NewPageAsync();
        await wrong.GotoAsync(Url("join").ToString());
        await wrong.GetByTestId("join-code").FillAsync(code);
        await wrong.GetByTestId("join-name").FillAsync("ada");
        await wrong.GetByTestId("join-pin").FillAsync("9999");
        await wrong.GetByTestId("join-submit").ClickAsync();
        await Assertions.Expect(wrong.GetByTestId("join-error")).ToContainTextAsync("PIN");

        var adaAgain = await JoinAsync(code, "Ada", "1234");
        await adaAgain.ExplorerItem("hello.py").WaitForAsync();
        await adaAgain.ExplorerItem("lab1/task.py").WaitForAsync();
        await adaAgain.OpenAsync("hello.py");
        await Assertions.Expect(adaAgain.Editor).ToContainTextAsync("hi from Ada");

        // The teacher looks over Grace's shoulder.
        await GoToTeacherPageAsync(teacher, $"teacher/classes/{classId}/students/{await StudentIdAsync(teacher, classId, "Grace")}");
        await Assertions.Expect(teacher.GetByTestId("student-view")).ToBeVisibleAsync();
        await teacher.Locator("[data-testid='student-file'][data-path='lab1/task.py']").WaitForAsync();
    }

    [Fact]
    public async Task Leaving_SignsTheBrowserOut_AndLeavesNothingOfTheProjectInIt()
    {
        var teacher = await SignInAsTeacherAsync();
        var (_, code) = await MakeClassAsync(teacher, "Leavers");

        // Work of Lin's own in this browser before joining: joining offers to move it into the class project.
        var page = await NewPageAsync();
        await fixture.LoadIdeAsync(page, () => page.GotoAsync(fixture.Host.Address.ToString()));
        var solo = new IdePage(page);
        await solo.CreateFileAsync("solo.py");
        await solo.PasteAsync("print('before the class')\n");
        await page.Keyboard.PressAsync("Control+s");
        var student = await JoinAsync(code, "Lin", "4321", page, soloWork: "solo-work-move");
        await student.ExplorerItem("solo.py").WaitForAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('coderunner.v1.file:')).length"));

        await student.CreateFileAsync("secret.py");
        await student.PasteAsync("print('mine')\n");
        await student.Page.Keyboard.PressAsync("Control+s");
        await Assertions.Expect(RosterRow(teacher, "Lin")).ToHaveAttributeAsync("data-online", "true");

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
        var teacher = await SignInAsTeacherAsync();
        var (classId, code) = await MakeClassAsync(teacher, "Private");
        var ada = await JoinAsync(code, "Ada", "1111");
        await ada.CreateFileAsync("ada.py");
        await ada.PasteAsync("print('only mine')\n");
        await ada.Page.Keyboard.PressAsync("Control+s");
        var adaId = await StudentIdAsync(teacher, classId, "Ada");

        // Another teacher of the server, added by the first.
        await GoToTeacherPageAsync(teacher, "teacher");
        await teacher.GetByTestId("teacher-new-user").FillAsync("other-teacher");
        await teacher.GetByTestId("teacher-new-password").FillAsync("another-password");
        await teacher.GetByTestId("teacher-add").ClickAsync();
        await Assertions.Expect(teacher.GetByTestId("teacher-added")).ToContainTextAsync("can now sign in");
        var other = await SignInAsTeacherAsync("other-teacher", "another-password");
        await GoToTeacherPageAsync(other, $"teacher/classes/{classId}");
        await Assertions.Expect(other.GetByTestId("class-problem")).ToBeVisibleAsync();
        await GoToTeacherPageAsync(other, $"teacher/classes/{classId}/students/{adaId}");
        await Assertions.Expect(other.GetByTestId("student-problem")).ToBeVisibleAsync();
        var otherDownload = await other.APIRequest.GetAsync(Url($"teacher/classes/{classId}/download").ToString(),
            new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.NotFound, otherDownload.Status);

        // A student, with their own cookie, gets no teacher page and no download.
        var grace = await JoinAsync(code, "Grace", "2222");
        var download = await grace.Page.APIRequest.GetAsync(Url($"teacher/classes/{classId}/download").ToString(),
            new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, download.Status);
        Assert.Contains("/login", download.Headers["location"]);
        await grace.Page.GotoAsync(Url($"teacher/classes/{classId}/students/{adaId}").ToString());
        await grace.Page.WaitForURLAsync("**/login**");
        await Assertions.Expect(grace.Page.GetByText("only mine")).ToHaveCountAsync(0);
    }

    /// <summary>A student's id, as the roster links to their view.</summary>
    private async Task<string> StudentIdAsync(IPage teacher, string classId, string name)
    {
        await GoToTeacherPageAsync(teacher, $"teacher/classes/{classId}");
        var href = await RosterRow(teacher, name).GetByTestId("roster-open").GetAttributeAsync("href") ?? "";
        return href[(href.LastIndexOf('/') + 1)..];
    }
}
