using System.Security.Cryptography;
using System.Text;
using CodeRunner.Engine;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Admin;

/// <summary>The admin surface: mapped only when a key is configured, and every endpoint checks it.</summary>
public static class AdminEndpoints
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        return services;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (!options.Enabled)
        {
            return app; // off: /admin answers 404 like any unknown path
        }

        var key = Encoding.UTF8.GetBytes(options.Key!);
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(header["Bearer ".Length..]) : [];
            if (!CryptographicOperations.FixedTimeEquals(given, key))
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Unauthorized();
            }

            return await next(context);
        });
        admin.MapGet("/status", (IExecutionEngine engine) => Results.Ok(engine.GetStatus()));
        return app;
    }
}
