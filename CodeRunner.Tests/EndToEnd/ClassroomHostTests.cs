using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The classroom's web host on its own database, started as scripts/run starts it: the setup link of a fresh
/// database, and a host killed mid-lesson that loses nothing saved.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ClassroomHostTests(IdeFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("coderunner-classroom-host-");

    private Dictionary<string, string> Settings(bool withTeacher) => new()
    {
        ["Engine__PoolSize"] = "1",
        ["Engine__NetworkKits"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Database__Path"] = Path.Combine(_data.FullName, "coderunner.db"),
        [withTeacher ? "Teacher__InitialUser" : "Unused"] = IdeFixture.TeacherUser,
        [withTeacher ? "Teacher__InitialPassword" : "Unused2"] = IdeFixture.TeacherPassword,
    };

    private async Task<IPage> NewPageAsync()
    {
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    [GeneratedRegex(@"http://\S+/setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SetupLink();

    [Fact]
    public async Task FreshDatabase_PrintsAOneTimeSetupLink_ThatMakesTheFirstTeacherOnce()
    {
        await using var host = await WebHostProcess.StartAsync(Settings(withTeacher: false));
        var clock = Stopwatch.StartNew();
        while (!SetupLink().IsMatch(host.Output))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no setup link was printed:\n" + host.Output);
            await Task.Delay(100);
        }

        var link = SetupLink().Match(host.Output).Value.Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        var stranger = await NewPageAsync();
        await stranger.GotoAsync(new Uri(host.Address, "setup").ToString());
        await Assertions.Expect(stranger.GetByTestId("setup-closed")).ToBeVisibleAsync(); // no token, no account

        var page = await NewPageAsync();
        // The host's first teacher page (made, signed in, then the teacher's first render) on a busy machine: as long
        // as IdeBrowser gives a first IDE load.
        await IdeBrowser.SubmitFormAsync(page, async () =>
        {
            await page.GotoAsync(link);
            await page.GetByTestId("setup-user").FillAsync("first");
            await page.GetByTestId("setup-password").FillAsync("first-password");
            await page.GetByTestId("setup-submit").ClickAsync();
        }, new Regex("/teacher$"), TimeSpan.FromSeconds(60));

        var again = await NewPageAsync();
        await again.GotoAsync(link);
        await Assertions.Expect(again.GetByTestId("setup-closed")).ToBeVisibleAsync();
        Assert.DoesNotContain("first-password", host.Output);
    }

    [Fact]
    public async Task HostKilledMidLesson_StartedAgain_TheStudentsSavedWorkIsThere()
    {
        string code;
        var crashed = await WebHostProcess.StartAsync(Settings(withTeacher: true));
        try
        {
            var teacher = await NewPageAsync();
            await teacher.GotoAsync(new Uri(crashed.Address, "login").ToString());
            await teacher.GetByTestId("login-user").FillAsync(IdeFixture.TeacherUser);
            await teacher.GetByTestId("login-password").FillAsync(IdeFixture.TeacherPassword);
            await teacher.GetByTestId("login-submit").ClickAsync();
            await teacher.Locator(".teacher[data-interactive=true]").WaitForAsync();
            await teacher.GetByTestId("new-class-button").ClickAsync();
            await teacher.GetByTestId("class-name-input").FillAsync("Crash course");
            await teacher.GetByTestId("class-create").ClickAsync();
            code = (await teacher.GetByTestId("class-code").InnerTextAsync()).Trim();

            var student = await JoinAsync(crashed, code);
            await student.CreateFileAsync("work.py");
            await student.PasteAsync("print('typed before the crash')\n");
            await Task.Delay(1500); // typing reaches the server within a second
            await crashed.KillAsync();
        }
        finally
        {
            await crashed.DisposeAsync();
        }

        await using var restarted = await WebHostProcess.StartAsync(Settings(withTeacher: true));
        var back = await JoinAsync(restarted, code);
        await back.OpenAsync("work.py");
        await Assertions.Expect(back.Editor).ToContainTextAsync("typed before the crash");
    }

    private async Task<IdePage> JoinAsync(WebHostProcess host, string code)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(host.Address, "join").ToString());
        await page.GetByTestId("join-code").FillAsync(code);
        await page.GetByTestId("join-name").FillAsync("Ada");
        await page.GetByTestId("join-pin").FillAsync("2468");
        await IdeBrowser.LoadIdeAsync(page, () => page.GetByTestId("join-submit").ClickAsync(), host);
        return new IdePage(page);
    }

    public void Dispose() => _data.Delete(recursive: true);
}
