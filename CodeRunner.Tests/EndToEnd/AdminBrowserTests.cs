using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>
/// The admin page in Chromium, as the server's first teacher (its administrator) uses it while a student works in the
/// IDE: a live run stopped, the student's session ended (their next run starts a new one), a pool drained and refilled;
/// every action asked first and written to the log with the administrator's name.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminBrowserTests(IdeFixture fixture)
{
    private const string Forever = "import time\nprint('working', flush=True)\nwhile True:\n    time.sleep(0.1)\n";

    [Fact]
    public async Task TheAdministrator_StopsAStudentsRun_ThenEndsTheirSession_AndTheLogNamesThem()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("forever.py");
        await ide.TypeAsync(Forever);
        await ide.RunAsync("forever.py");
        await ide.WaitForOutputAsync("forever.py", "working");

        var admin = await OpenAdminPageAsync();
        var row = admin.Locator("[data-testid=admin-run-row]", new() { HasText = "forever.py" });
        await row.WaitForAsync();
        var runId = await row.GetAttributeAsync("data-run-id");
        var sessionId = (await row.Locator("td").Nth(1).InnerTextAsync()).Trim();

        await row.GetByTestId("admin-stop-run").ClickAsync();
        await ConfirmAsync(admin, "Stop");
        Assert.Contains("stopped", await ide.WaitForVerdictAsync("forever.py"));
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Contains($"Administrator {IdeFixture.TeacherUser} stopped run {runId} (python, forever.py) of session {sessionId}", fixture.Host.Output);

        var session = admin.Locator($"[data-testid=admin-session-row][data-session-id='{sessionId}']");
        await session.GetByTestId("admin-end-session").ClickAsync();
        await ConfirmAsync(admin, "End the session");
        await session.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Contains($"Administrator {IdeFixture.TeacherUser} ended session {sessionId}", fixture.Host.Output);

        // The student's files are theirs still, and their next run starts a new session.
        await ide.OpenAsync("python/hello.py");
        await ide.RunAsync("python/hello.py");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("python/hello.py"));
        await admin.Context.CloseAsync();
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task APool_DrainedThenRefilled_AsksFirstEachTime()
    {
        var admin = await OpenAdminPageAsync();
        var pool = admin.Locator("[data-testid=admin-pool-row][data-runtime=bash]");
        await admin.Locator("[data-testid=admin-pool-row][data-runtime=bash][data-warm='1']").WaitForAsync();

        await pool.GetByTestId("admin-pool-drain").ClickAsync();
        await admin.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal("false", await pool.GetAttributeAsync("data-drained"));

        await pool.GetByTestId("admin-pool-drain").ClickAsync();
        await ConfirmAsync(admin, "Drain");
        await admin.Locator("[data-testid=admin-pool-row][data-runtime=bash][data-drained=true][data-warm='0']").WaitForAsync();

        // Drained on purpose: the server stays ready, and says why the pool is empty.
        using (var http = new HttpClient { BaseAddress = fixture.Host.Address })
        {
            var ready = await http.GetAsync("/readyz");
            var report = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, report);
            Assert.Contains("\"bash\": \"drained by an administrator", report);
        }

        await pool.GetByTestId("admin-pool-refill").ClickAsync();
        await ConfirmAsync(admin, "Refill");
        await admin.Locator("[data-testid=admin-pool-row][data-runtime=bash][data-drained=false][data-warm='1']").WaitForAsync();
        Assert.Contains($"Administrator {IdeFixture.TeacherUser} drained the bash pool", fixture.Host.Output);
        Assert.Contains($"Administrator {IdeFixture.TeacherUser} refilled the bash pool", fixture.Host.Output);
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAdminPage_IsNotForAnyoneSignedOut()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.Address };
        var response = await http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location?.ToString());
    }

    private async Task<IPage> OpenAdminPageAsync()
    {
        var admin = await new ClassroomPages(fixture).SignInAsTeacherAsync();
        await admin.GetByTestId("admin-link").ClickAsync();
        await IdeBrowser.WaitForAddressAsync(admin, new Regex("/admin$"));
        await ClassroomPages.TeacherPageReadyAsync(admin);
        return admin;
    }

    private static Task ConfirmAsync(IPage page, string button) =>
        page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
}
