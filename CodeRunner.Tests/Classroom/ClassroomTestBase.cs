using CodeRunner.Classroom.Classes;
using Microsoft.Extensions.Time.Testing;

namespace CodeRunner.Tests.Classroom;

/// <summary>
/// The shared base of the storage tests: each test gets a database of its own, of the provider the subclass names,
/// and the classroom started on it as the web starts it. The same tests run against SQLite and PostgreSQL.
/// </summary>
public abstract class ClassroomTestBase(ITestDatabases databases) : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private TestDatabase? _database;
    private ClassroomHost? _host;

    protected FakeTimeProvider Time { get; } = new(Start);
    protected TestDatabase Database => _database!;
    protected ClassroomHost App => _host!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateAsync();
        _host = await ClassroomHost.StartAsync(_database.Settings, Time);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>A new teacher with a new class.</summary>
    protected async Task<(string TeacherId, ClassSummary Class)> TeacherWithClassAsync(string className = "7B")
    {
        var teacherId = await App.AddTeacherAsync();
        return (teacherId, await App.Classes.CreateAsync(teacherId, className));
    }

    /// <summary>Stops this test's app and starts it again on the same database (it migrates again at start-up).</summary>
    protected async Task RestartAsync(Dictionary<string, string?>? settings = null)
    {
        await _host!.DisposeAsync();
        _host = null;
        _host = await ClassroomHost.StartAsync(settings ?? _database!.Settings, Time);
    }
}
