using Bunit;
using CodeRunner.Classroom.Api;
using CodeRunner.Web.Components.Teaching;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Web;

/// <summary>The API tokens page on the real classroom services: a token is shown once, works, and stops working when revoked.</summary>
public sealed partial class ClassroomComponentTests
{
    private IApiTokens ApiTokens => Services.GetRequiredService<IApiTokens>();

    [Fact]
    public async Task ApiTokensPage_NewTokenShowsItsSecretOnce_AndRevokeRefusesIt()
    {
        var teacher = await AddTeacherAsync("teacher");
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<ApiTokensPage>();
        cut.WaitForAssertion(() => Assert.Contains("No tokens yet", cut.Markup));

        cut.Find("[data-testid=api-token-name] input, input[data-testid=api-token-name]").Input("autograder");
        await cut.Find("[data-testid=api-token-new]").ClickAsync(new());
        var secret = cut.WaitForElement("[data-testid=api-token-value]").TextContent.Trim();
        Assert.StartsWith(ApiTokenSecrets.Prefix, secret);
        Assert.NotNull((await ApiTokens.CheckAsync(secret)).Identity);
        var row = cut.Find("[data-testid=api-token-row]");
        Assert.Equal("false", row.GetAttribute("data-revoked"));
        Assert.Contains("autograder", row.TextContent);

        await cut.Find("[data-testid=api-token-revoke]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=api-token-row]").GetAttribute("data-revoked")));
        Assert.Empty(cut.FindAll("[data-testid=api-token-value]")); // a revoked secret is not left on the screen
        Assert.Equal(ApiTokenRefusal.Revoked, (await ApiTokens.CheckAsync(secret)).Refusal);
    }

    [Fact]
    public async Task ApiTokensPage_ANamelessToken_IsRefusedWithASentence()
    {
        SignInTeacher(await AddTeacherAsync("teacher"));
        RenderProviders();
        var cut = Render<ApiTokensPage>();
        cut.WaitForAssertion(() => Assert.Contains("No tokens yet", cut.Markup));
        await cut.Find("[data-testid=api-token-new]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("needs a name", cut.Find("[data-testid=api-token-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=api-token-value]"));
    }
}
