using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom.Storage;

/// <summary>
/// Brings the database up to date when the host starts, before the web server takes requests (hosted services start
/// in order, and the web server's own starts after them). Migrating an up-to-date database does nothing.
/// </summary>
internal sealed class ClassroomMigrator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateClassroomAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Applies the classroom's migrations to the configured database.</summary>
public static class ClassroomMigrations
{
    /// <summary>
    /// Applies the migrations that the database lacks. <c>AddClassroom</c> already does this at start-up; call it
    /// yourself only without a host. Several servers starting at once take turns (EF Core holds a migration lock).
    /// </summary>
    public static async Task MigrateClassroomAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<ClassroomDb>>();
        var factory = services.GetRequiredService<IDbContextFactory<ClassroomDb>>();
        var db = await factory.CreateDbContextAsync(cancellationToken);
        await using (db)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            var where = options.IsPostgres ? db.Database.GetDbConnection().Database : db.Database.GetDbConnection().DataSource;
            if (pending.Count == 0)
            {
                Log.DatabaseUpToDate(logger, options.Provider, where);
                return;
            }

            await db.Database.MigrateAsync(cancellationToken);
            Log.DatabaseMigrated(logger, options.Provider, where, pending.Count, pending[^1]);
        }
    }
}
