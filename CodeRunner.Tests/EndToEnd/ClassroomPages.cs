using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>The classroom's pages as the browser tests drive them: a teacher signs in and makes a class, students join.</summary>
public sealed class ClassroomPages(IdeFixture fixture)
{
    public async Task<IPage> NewPageAsync()
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

    public Uri Url(string path) => new(fixture.Host.Address, path);

    public async Task<IPage> SignInAsTeacherAsync(string user = IdeFixture.TeacherUser, string password = IdeFixture.TeacherPassword)
    {
        var page = await NewPageAsync();
        await IdeBrowser.SubmitFormAsync(page, async () =>
        {
            await page.GotoAsync(Url("login").ToString());
            await page.GetByTestId("login-user").FillAsync(user);
            await page.GetByTestId("login-password").FillAsync(password);
            await page.GetByTestId("login-submit").ClickAsync();
        }, new Regex("/teacher$"));
        await TeacherPageReadyAsync(page);
        return page;
    }

    /// <summary>A teacher's page answers clicks once it runs in its circuit, not while it is only prerendered.</summary>
    public static Task TeacherPageReadyAsync(IPage page) => page.Locator(".teacher[data-interactive=true]").WaitForAsync();

    public async Task GoToTeacherPageAsync(IPage teacher, string path)
    {
        await teacher.GotoAsync(Url(path).ToString());
        await TeacherPageReadyAsync(teacher);
    }

    public static async Task<(string Id, string Code)> MakeClassAsync(IPage teacher, string name)
    {
        await teacher.GetByTestId("new-class-button").ClickAsync();
        await teacher.GetByTestId("class-name-input").FillAsync(name);
        await teacher.GetByTestId("class-create").ClickAsync();
        await IdeBrowser.WaitForAddressAsync(teacher, new Regex("/teacher/classes/[^/]+$"));
        await teacher.GetByTestId("class-code").WaitForAsync();
        var code = (await teacher.GetByTestId("class-code").InnerTextAsync()).Trim();
        return (teacher.Url[(teacher.Url.LastIndexOf('/') + 1)..], code);
    }

    public async Task<IdePage> JoinAsync(string code, string name, string pin, IPage? page = null, string? soloWork = null)
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

    public static ILocator RosterRow(IPage teacher, string student) =>
        teacher.Locator($"[data-testid='roster-row'][data-student='{student}']");

    public static byte[] Zip(params (string Path, string Text)[] files)
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

    /// <summary>A student's id, as the roster links to their view.</summary>
    public async Task<string> StudentIdAsync(IPage teacher, string classId, string name)
    {
        await GoToTeacherPageAsync(teacher, $"teacher/classes/{classId}");
        var href = await RosterRow(teacher, name).GetByTestId("roster-open").GetAttributeAsync("href") ?? "";
        return href[(href.LastIndexOf('/') + 1)..];
    }
}
