using System.Net;
using System.Net.Http.Headers;
using CodeRunner.Classroom.Api;

namespace CodeRunner.Tests.Api;

/// <summary>Who may call the API: a teacher's live token, by either header; anyone else gets 401, and a busy token 429.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiAuthTests(ApiFixture fixture)
{
    [Fact]
    public async Task NoToken_Gets401_WithAProblemSayingHowToSendOne()
    {
        using var http = fixture.Anonymous();
        var response = await http.GetAsync("/api/v1/languages");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", (await ApiFixture.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownToken_Gets401()
    {
        using var http = fixture.Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiTokenSecrets.New());
        var response = await http.GetAsync("/api/v1/languages");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not known", (await ApiFixture.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RevokedToken_Gets401_ThoughItWorkedBefore()
    {
        var (http, token) = await fixture.ClientAsync();
        using (http)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/languages")).StatusCode);
            await fixture.Tokens.RevokeAsync(fixture.TeacherId, token.Token.Id);

            var response = await http.GetAsync("/api/v1/languages");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("revoked", (await ApiFixture.JsonAsync(response)).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Judge0Header_IsAcceptedLikeBearer()
    {
        var (bearer, token) = await fixture.ClientAsync();
        bearer.Dispose();
        using var http = fixture.Anonymous();
        http.DefaultRequestHeaders.Add("X-Auth-Token", token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/statuses")).StatusCode);
    }

    [Fact]
    public async Task PastTheTokensLimit_Gets429_WithRetryAfter_WhileAnotherTokenStillWorks()
    {
        var (http, _) = await fixture.ClientAsync(requestsPerMinute: 3);
        var (other, _) = await fixture.ClientAsync(requestsPerMinute: 3);
        using (http)
        using (other)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/languages")).StatusCode);
            }

            var refused = await http.GetAsync("/api/v1/languages");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 60);
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/languages")).StatusCode);
        }
    }

    [Fact]
    public async Task TokenUse_IsNoted_AndOnlyItsHashIsStored()
    {
        var (http, token) = await fixture.ClientAsync();
        using (http)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/languages")).StatusCode);
        }

        var row = await fixture.RowAsync(token.Token.Id);
        Assert.NotNull(row.LastUsedAt);
        Assert.Equal(ApiTokenSecrets.Hash(token.Secret), row.Hash);
        var secretPart = token.Secret[ApiTokenSecrets.Prefix.Length..];
        Assert.DoesNotContain(secretPart, $"{row.Hash}|{row.Name}|{row.TeacherId}");
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsTheRunsEndpoint()
    {
        using var http = fixture.Anonymous();
        var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await ApiFixture.JsonAsync(response)).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/runs", out var runs), "the document lists no /api/v1/runs");
        Assert.True(runs.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/submissions", out _));
        Assert.False(paths.TryGetProperty("/teacher", out _)); // the pages are not the API
    }
}
