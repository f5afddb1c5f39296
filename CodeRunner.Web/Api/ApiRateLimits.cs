using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CodeRunner.Web.Api;

/// <summary>
/// Each token's own rate limit, from its row: a fixed window of one minute per token (ASP.NET Core's rate limiting,
/// partitioned by token id and limit, so that a changed limit takes effect). Past it: 429 with <c>Retry-After</c>.
/// </summary>
public static class ApiRateLimits
{
    public const string Policy = "api-token";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(Policy, context =>
        {
            // The endpoints require a token, and authorization has put its claims on the user before this runs.
            var user = context.User;
            var token = user.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value ?? "";
            var limit = int.TryParse(user.FindFirst(ApiTokenAuthenticationHandler.RateLimitClaim)?.Value, CultureInfo.InvariantCulture, out var l) ? l : 1;
            return RateLimitPartition.GetFixedWindowLimiter($"{token}/{limit}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : 60;
            var http = context.HttpContext;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests",
                detail: $"This token has used its requests for this minute; try again in {seconds} s, or ask its teacher for a token with a higher limit.")
                .ExecuteAsync(http);
        };
    });
}
