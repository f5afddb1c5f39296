using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CodeRunner.Classroom.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context SqliteClassroomDb</c> build the model without a host. Adding a migration
/// never connects, so the file named here is never made.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteClassroomDb>
{
    public SqliteClassroomDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteClassroomDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresClassroomDb</c> build the model; it never connects either.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresClassroomDb>
{
    public PostgresClassroomDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresClassroomDb>().UseNpgsql("Host=localhost;Database=coderunner").Options);
}
