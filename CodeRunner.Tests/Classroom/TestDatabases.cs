using Microsoft.Data.Sqlite;

namespace CodeRunner.Tests.Classroom;

/// <summary>Makes an empty database of one provider for one test.</summary>
public interface ITestDatabases
{
    Task<TestDatabase> CreateAsync();
}

/// <summary>One test's own database: the settings that point the classroom at it, and how to back it up elsewhere.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    public abstract Dictionary<string, string?> Settings { get; }

    /// <summary>Backs the live database up (while the app has it open) and restores the backup into a new database.</summary>
    public abstract Task<TestDatabase> BackUpAndRestoreAsync();

    public abstract ValueTask DisposeAsync();
}

/// <summary>A temporary SQLite file per test, deleted afterwards with its WAL files.</summary>
public sealed class SqliteTestDatabases : ITestDatabases
{
    public Task<TestDatabase> CreateAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase(NewPath()));

    public static string NewPath() =>
        Path.Combine(Path.GetTempPath(), "coderunner-tests", $"{Guid.NewGuid():N}", "coderunner.db");
}

/// <summary>A SQLite file in a folder of its own.</summary>
public sealed class SqliteTestDatabase(string path) : TestDatabase
{
    public string Path { get; } = path;

    public override string Provider => "Sqlite";

    public override Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:Path"] = Path,
    };

    /// <summary>SQLite's online backup, page by page from a connection of its own, while the app writes in WAL mode.</summary>
    public override async Task<TestDatabase> BackUpAndRestoreAsync()
    {
        var restored = new SqliteTestDatabase(SqliteTestDatabases.NewPath());
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(restored.Path)!);
        await using (var live = new SqliteConnection($"Data Source={Path};Pooling=False"))
        await using (var copy = new SqliteConnection($"Data Source={restored.Path};Pooling=False"))
        {
            await live.OpenAsync();
            await copy.OpenAsync();
            live.BackupDatabase(copy);
        }

        return restored;
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file (and its -wal and -shm files) open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        return ValueTask.CompletedTask;
    }
}
