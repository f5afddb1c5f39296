using CodeRunner.Classroom.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Tests.Classroom;

/// <summary>What only SQLite needs: where the file goes, WAL mode, the busy timeout, and times as ticks.</summary>
public sealed class SqliteSetupTests() : ClassroomTestBase(new SqliteTestDatabases())
{
    [Fact]
    public async Task StartUp_NoDatabaseSettings_MakesTheFileUnderTheContentRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "coderunner-tests", $"{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            await using (await ClassroomHost.StartAsync([], contentRoot: root))
            {
                Assert.True(File.Exists(Path.Combine(root, ".coderunner", "data", "coderunner.db")));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Connection_Opened_IsInWalModeWithABusyTimeout()
    {
        await using var db = await App.DbAsync();
        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
        Assert.Equal("30000", await ScalarAsync(db, "PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Save_WhileAnotherWriterHoldsTheDatabase_WaitsInsteadOfFailing()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await using var other = new SqliteConnection($"Data Source={((SqliteTestDatabase)Database).Path};Pooling=False");
        await other.OpenAsync();
        await using (var command = new SqliteCommand("BEGIN IMMEDIATE", other))
        {
            await command.ExecuteNonQueryAsync();
        }

        var save = Task.Run(() => App.Projects.SaveAsync(ana.StudentId, [new("main.py", "waited", 0)], [], [], "tab"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waited = !save.IsCompleted;
        await using (var command = new SqliteCommand("COMMIT", other))
        {
            await command.ExecuteNonQueryAsync();
        }

        await save;
        Assert.True(waited);
        Assert.Equal("waited", Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files).Content);
    }

    [Fact]
    public async Task Times_InSqlite_AreStoredAsUtcTicks()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Activity.RunStartedAsync(ana.StudentId, "main.py");

        await using var db = await App.DbAsync();
        await db.Database.OpenConnectionAsync();

        Assert.Equal(Start.UtcTicks.ToString(), await ScalarAsync(db, $"SELECT \"{nameof(RunRecord.StartedAt)}\" FROM \"Runs\""));
    }

    private static async Task<string?> ScalarAsync(DbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync());
    }
}
