using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CodeRunner.Tests.EndToEnd;
using Microsoft.Playwright;

namespace CodeRunner.Tests.Api;

/// <summary>A teacher makes a token on the page, a client uses it, and once the teacher revokes it the client gets 401.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiTokenBrowserTests(IdeFixture fixture)
{
    [Fact]
    public async Task TokenMadeOnThePage_Works_UntilRevokedOnThePage()
    {
        var pages = new ClassroomPages(fixture);
        var teacher = await pages.SignInAsTeacherAsync();
        await teacher.GetByTestId("nav-api-tokens").ClickAsync();
        await IdeBrowser.WaitForAddressAsync(teacher, new Regex("/teacher/api-tokens$"));
        await ClassroomPages.TeacherPageReadyAsync(teacher);

        await teacher.GetByTestId("api-token-name").FillAsync("browser test");
        await teacher.GetByTestId("api-token-new").ClickAsync();
        var secret = (await teacher.GetByTestId("api-token-value").InnerTextAsync()).Trim();

        using var http = new HttpClient { BaseAddress = fixture.Host.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/languages")).StatusCode);

        var row = teacher.Locator("[data-testid=api-token-row]", new() { HasText = "browser test" });
        await row.GetByTestId("api-token-revoke").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-revoked", "true");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/languages")).StatusCode);
        await teacher.Context.CloseAsync();
    }
}
