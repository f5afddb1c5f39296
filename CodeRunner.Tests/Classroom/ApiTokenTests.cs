using CodeRunner.Classroom;
using CodeRunner.Classroom.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Classroom;

/// <summary>Teachers' API tokens in storage, on each provider: kept only as a hash, checked, revoked, and only by their teacher.</summary>
public abstract class ApiTokenTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    private IApiTokens Tokens => App.Services.GetRequiredService<IApiTokens>();

    [Fact]
    public async Task ANewToken_IsStoredOnlyAsItsHash()
    {
        var teacher = await App.AddTeacherAsync();
        var made = await Tokens.CreateAsync(teacher, "judge", 30);
        Assert.StartsWith(ApiTokenSecrets.Prefix, made.Secret);
        Assert.True(made.Secret.Length >= ApiTokenSecrets.Prefix.Length + 43, made.Secret); // 32 random bytes in base64url

        await using var db = await App.DbAsync();
        var row = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == made.Token.Id);
        Assert.Equal(ApiTokenSecrets.Hash(made.Secret), row.Hash);
        Assert.Equal(30, row.RequestsPerMinute);
        // Nothing in the table holds the secret or a part of it long enough to matter.
        var stored = string.Join("|", await db.Database.SqlQueryRaw<string>(
            """SELECT "Id" || '|' || "TeacherId" || '|' || "Name" || '|' || "Hash" AS "Value" FROM "ApiTokens" """).ToListAsync());
        Assert.DoesNotContain(made.Secret[ApiTokenSecrets.Prefix.Length..][..12], stored);
    }

    [Fact]
    public async Task TheModel_MatchesTheProvidersMigrations_TokensIncluded()
    {
        await using var db = await App.DbAsync();
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run dotnet ef migrations add for both contexts");
        Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_ApiTokens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_KnowsALiveToken_AndSaysWhyOthersAreRefused()
    {
        var teacher = await App.AddTeacherAsync();
        var made = await Tokens.CreateAsync(teacher, "judge");

        var live = await Tokens.CheckAsync(made.Secret);
        Assert.Equal(teacher, live.Identity?.TeacherId);
        Assert.Equal(ApiTokenRules.DefaultRequestsPerMinute, live.Identity?.RequestsPerMinute);
        Assert.Equal(ApiTokenRefusal.Unknown, (await Tokens.CheckAsync(made.Secret + "x")).Refusal);
        Assert.Equal(ApiTokenRefusal.Unknown, (await Tokens.CheckAsync("not-a-token")).Refusal);

        await Tokens.RevokeAsync(teacher, made.Token.Id);
        var revoked = await Tokens.CheckAsync(made.Secret);
        Assert.Null(revoked.Identity);
        Assert.Equal(ApiTokenRefusal.Revoked, revoked.Refusal);
    }

    [Fact]
    public async Task AnotherTeacher_CannotRevokeATokenNotTheirs()
    {
        var owner = await App.AddTeacherAsync("owner");
        var other = await App.AddTeacherAsync("other");
        var made = await Tokens.CreateAsync(owner, "judge");

        await Assert.ThrowsAsync<ClassroomAccessException>(() => Tokens.RevokeAsync(other, made.Token.Id));
        Assert.NotNull((await Tokens.CheckAsync(made.Secret)).Identity);
        Assert.Empty(await Tokens.ListAsync(other));
    }

    [Fact]
    public async Task List_ShowsNewestFirst_WithRevokedOnesMarked_AndLastUse()
    {
        var teacher = await App.AddTeacherAsync();
        var first = await Tokens.CreateAsync(teacher, "first");
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await Tokens.CreateAsync(teacher, "second");
        await Tokens.RevokeAsync(teacher, first.Token.Id);
        await Tokens.CheckAsync(second.Secret);

        var list = await Tokens.ListAsync(teacher);
        Assert.Equal(["second", "first"], list.Select(t => t.Name));
        Assert.False(list[0].Revoked);
        Assert.Equal(Time.GetUtcNow(), list[0].LastUsedAt);
        Assert.True(list[1].Revoked);
    }

    [Theory]
    [InlineData("", 60)]
    [InlineData("judge", 0)]
    [InlineData("judge", ApiTokenRules.MaxRequestsPerMinute + 1)]
    public async Task ANamelessToken_OrOneWithARateLimitOutOfRange_IsRefused(string name, int limit)
    {
        var teacher = await App.AddTeacherAsync();
        await Assert.ThrowsAsync<ClassroomException>(() => Tokens.CreateAsync(teacher, name, limit));
    }
}
