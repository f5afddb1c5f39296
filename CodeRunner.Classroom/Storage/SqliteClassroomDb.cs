using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CodeRunner.Classroom.Storage;

/// <summary>The classroom's database in a SQLite file; its migrations are in <c>Storage/Migrations/Sqlite</c>.</summary>
public sealed class SqliteClassroomDb(DbContextOptions<SqliteClassroomDb> options) : ClassroomDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date type: EF Core would store DateTimeOffset as text, which it cannot order or compare in SQL.
        // Every time here is UTC, so its ticks (an integer) order and compare correctly, to the tick.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    /// <summary>A time as its UTC ticks; it reads back as UTC.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>
/// Sets SQLite's busy timeout on every connection (so that a write waits for another instead of failing) and keeps the
/// database in WAL mode (readers never wait for the writer). WAL is stored in the file; asking again costs nothing.
/// </summary>
internal sealed class SqlitePragmas(int busyTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _sql = $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA journal_mode = WAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
