using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom.Storage;

/// <summary>How the contexts of the configured provider are made: the options each provider's context is built with.</summary>
internal static class ClassroomStorage
{
    /// <summary>The SQLite file as an absolute path: a relative one is taken from the content root, else the current folder.</summary>
    public static string SqlitePath(DatabaseOptions options, IHostEnvironment? environment) =>
        System.IO.Path.GetFullPath(options.Path, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());

    public static void ConfigureSqlite(DbContextOptionsBuilder builder, DatabaseOptions options, IHostEnvironment? environment)
    {
        var path = SqlitePath(options, environment);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            // Microsoft.Data.Sqlite also retries a busy database until the command timeout, so both waits agree.
            DefaultTimeout = options.BusyTimeoutSeconds,
            Pooling = true,
        };
        builder.UseSqlite(connection.ToString());
        builder.AddInterceptors(new SqlitePragmas(options.BusyTimeoutSeconds));
    }

    public static void ConfigurePostgres(DbContextOptionsBuilder builder, DatabaseOptions options) =>
        builder.UseNpgsql(options.ConnectionString);

    /// <summary>Registers a pooled factory for each provider's context; only the configured one is ever made.</summary>
    public static void AddContexts(IServiceCollection services)
    {
        services.AddPooledDbContextFactory<SqliteClassroomDb>((sp, builder) =>
        {
            ConfigureSqlite(builder, Options(sp), sp.GetService<IHostEnvironment>());
            Common(sp, builder);
        });
        services.AddPooledDbContextFactory<PostgresClassroomDb>((sp, builder) =>
        {
            ConfigurePostgres(builder, Options(sp));
            Common(sp, builder);
        });
        services.AddSingleton<IDbContextFactory<ClassroomDb>>(sp => Options(sp).IsPostgres
            ? new BaseFactory<PostgresClassroomDb>(sp.GetRequiredService<IDbContextFactory<PostgresClassroomDb>>())
            : new BaseFactory<SqliteClassroomDb>(sp.GetRequiredService<IDbContextFactory<SqliteClassroomDb>>()));

        // For ASP.NET Core Identity's stores, which take the context from the request's scope. The scope disposes it,
        // which returns it to the pool.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ClassroomDb>>().CreateDbContext());
    }

    private static DatabaseOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value;

    private static void Common(IServiceProvider services, DbContextOptionsBuilder builder)
    {
        // Interceptors registered in the container are added too: the tests use one to fail a commit on purpose.
        builder.AddInterceptors(services.GetServices<IInterceptor>());
    }

    /// <summary>The configured provider's factory, seen as the base context that the services and Identity use.</summary>
    private sealed class BaseFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ClassroomDb>
        where TContext : ClassroomDb
    {
        public ClassroomDb CreateDbContext() => inner.CreateDbContext();

        public async Task<ClassroomDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
