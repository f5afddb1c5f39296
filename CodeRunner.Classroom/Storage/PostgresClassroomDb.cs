using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Classroom.Storage;

/// <summary>The classroom's database on a PostgreSQL server; its migrations are in <c>Storage/Migrations/Postgres</c>.</summary>
/// <remarks>Times are <c>timestamp with time zone</c>, which Npgsql writes only from UTC values: every time here is UTC.</remarks>
public sealed class PostgresClassroomDb(DbContextOptions<PostgresClassroomDb> options) : ClassroomDb(options);
