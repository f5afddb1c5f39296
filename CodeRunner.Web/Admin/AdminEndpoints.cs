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
        services.AddSingleton<AdminKey>();
        return services;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        var key = app.Services.GetRequiredService<AdminKey>();
        if (!key.Enabled)
        {
            return app; // off: /admin answers 404 like any unknown path
        }

        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            if (!key.IsPresentedBy(context.HttpContext.Request))
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
