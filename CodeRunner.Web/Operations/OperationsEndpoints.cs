using System.Net;
using System.Text.Json;
using CodeRunner.Classroom.Storage;
using CodeRunner.Engine;
using CodeRunner.Web.Admin;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace CodeRunner.Web.Operations;

/// <summary>
/// What a school's monitoring reads: <c>/healthz</c> (the process answers), <c>/readyz</c> (Docker, the pools, the
/// database and the firewall rules, as JSON with a line per check) and <c>/metrics</c> (OpenTelemetry's Prometheus
/// exporter, for localhost or with the admin key).
/// </summary>
public static class OperationsEndpoints
{
    public const string ReadyTag = "ready";
    public const string MetricsPath = "/metrics";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RecentProblems>();
        services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<RecentProblems>());
        services.AddSingleton<ServerSettings>();
        services.AddHealthChecks()
            .AddCheck<DockerHealthCheck>("docker", tags: [ReadyTag])
            .AddCheck<PoolsHealthCheck>("pools", tags: [ReadyTag])
            .AddDbContextCheck<ClassroomDb>("database", tags: [ReadyTag])
            .AddCheck<FirewallHealthCheck>("firewall", tags: [ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(EngineTelemetry.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // Liveness runs no check: the process answers, so a restart would not help.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync });

        var key = app.Services.GetRequiredService<AdminKey>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(MetricsPath), metrics => metrics.Use(async (context, next) =>
        {
            if (IsLocal(context) || key.IsPresentedBy(context.Request))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = key.Enabled ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            if (key.Enabled)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await context.Response.WriteAsync(key.Enabled
                ? "The metrics are served to localhost, or with the admin key: send Authorization: Bearer <Admin:Key>."
                : "The metrics are served to localhost only; set Admin:Key to read them from elsewhere with that key.");
        }));
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>
    /// A request from this machine that no proxy forwarded: behind nginx or Caddy on the same host, every request comes
    /// from loopback, and only the forwarding headers tell the outside apart.
    /// </summary>
    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded");

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
