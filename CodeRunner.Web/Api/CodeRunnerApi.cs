using CodeRunner.Web.Api.Judge0;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Api;

/// <summary>
/// The HTTP API: <c>/api/v1</c>, its WebSocket stream, the Judge0 CE-compatible subset and the OpenAPI document. Every
/// endpoint but the document needs a teacher's API token and is rate-limited by that token's own limit.
/// </summary>
public static class CodeRunnerApi
{
    public static IServiceCollection AddCodeRunnerApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<ApiRunner>();
        services.AddSingleton<ApiRunStore>();
        services.AddSingleton<RunStream>();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(
            ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiTokenAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        services.AddApiRateLimits();
        services.AddOpenApi("v1", options => options.ShouldInclude = description => IsApiPath(description.RelativePath));
        return services;
    }

    /// <summary>
    /// Maps the API. Call it after the app's authentication and authorization: the rate limiter it adds partitions by
    /// the token that authorization has put on the request's user.
    /// </summary>
    public static WebApplication MapCodeRunnerApi(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi();

        var limits = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var v1 = Secured(app.MapGroup("/api/v1").WithTags("Runs"));
        v1.MapRunEndpoints();
        var stream = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        stream.UseWebSockets();
        stream.Run(context => context.RequestServices.GetRequiredService<RunStream>().HandleAsync(context, limits.MaxRequestBytes));
        v1.Map("/runs/stream", stream.Build()).WithName("StreamRun").ExcludeFromDescription();

        Secured(app.MapGroup("")).MapJudge0Endpoints();
        return app;
    }

    private static RouteGroupBuilder Secured(RouteGroupBuilder group) => group
        .RequireAuthorization(ApiTokenAuthenticationHandler.Policy)
        .RequireRateLimiting(ApiRateLimits.Policy)
        .DisableAntiforgery();

    private static bool IsApiPath(string? path) =>
        path is not null && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("submissions", StringComparison.Ordinal)
                             || path is "languages" or "statuses");
}
