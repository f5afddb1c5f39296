using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CodeRunner.Classroom.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Api;

/// <summary>
/// Authenticates API requests by a teacher's token, sent as <c>Authorization: Bearer crt_…</c> or, as Judge0 clients
/// send it, <c>X-Auth-Token: crt_…</c>. A refusal answers 401 with a JSON problem that says what is wrong.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IApiTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string Policy = "ApiToken";
    public const string TokenIdClaim = "coderunner:api-token";
    public const string TeacherIdClaim = "coderunner:api-teacher";
    public const string RateLimitClaim = "coderunner:api-rate-limit";
    public const string Judge0Header = "X-Auth-Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var check = await tokens.CheckAsync(presented, Context.RequestAborted);
        if (check.Identity is not { } identity)
        {
            return AuthenticateResult.Fail(check.Refusal == ApiTokenRefusal.Revoked
                ? "This API token was revoked by its teacher; ask for a new one."
                : "This API token is not known here: check that it was copied whole (it starts with crt_).");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(TokenIdClaim, identity.TokenId.ToString()),
            new Claim(TeacherIdClaim, identity.TeacherId),
            new Claim(RateLimitClaim, identity.RequestsPerMinute.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: result.Failure?.Message
                    ?? $"This API needs a token: send 'Authorization: Bearer crt_…' (or '{Judge0Header}: crt_…'). A teacher makes one on the page /teacher/api-tokens.")
            .ExecuteAsync(Context);
    }

    /// <summary>The token a request carries, or null.</summary>
    public static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers[Judge0Header].ToString() is { Length: > 0 } judge0 ? judge0.Trim() : null;
    }

    /// <summary>The teacher who owns the request's token (the API's endpoints all require one).</summary>
    public static string TeacherOf(ClaimsPrincipal user) =>
        user.FindFirst(TeacherIdClaim)?.Value ?? throw new InvalidOperationException("An API endpoint ran without an API token.");
}
