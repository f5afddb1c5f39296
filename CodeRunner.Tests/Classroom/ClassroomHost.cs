using System.Collections.Concurrent;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;
using CodeRunner.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodeRunner.Tests.Classroom;

/// <summary>The classroom in a host, started the way the web starts it (AddClassroom, migrations at start-up), on one test database.</summary>
public sealed class ClassroomHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ClassroomHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public IClassService Classes => Services.GetRequiredService<IClassService>();
    public IStudentAccounts Accounts => Services.GetRequiredService<IStudentAccounts>();
    public IStudentProjects Projects => Services.GetRequiredService<IStudentProjects>();
    public IStudentActivity Activity => Services.GetRequiredService<IStudentActivity>();
    public IExerciseService Exercises => Services.GetRequiredService<IExerciseService>();
    public IClassroomEvents Events => Services.GetRequiredService<IClassroomEvents>();
    public CommitSaboteur Saboteur => Services.GetRequiredService<CommitSaboteur>();

    /// <summary>The languages the tests' exercises may name, as the web takes them from the engine.</summary>
    public static readonly string[] KnownLanguages = ["c", "cpp", "java", "javascript", "python"];

    public static async Task<ClassroomHost> StartAsync(Dictionary<string, string?> settings, FakeTimeProvider? time = null,
        string? contentRoot = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
        builder.Services.AddSingleton<CommitSaboteur>();
        builder.Services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<CommitSaboteur>());
        builder.Services.AddClassroom();
        builder.Services.Configure<ExerciseOptions>(o =>
        {
            o.KnownLanguages = KnownLanguages;
            o.PathProblem = path => ProjectPathRules.Problem(path);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ClassroomHost(host);
    }

    /// <summary>A context of the app's own factory, for looking at what is stored.</summary>
    public Task<ClassroomDb> DbAsync() => Services.GetRequiredService<IDbContextFactory<ClassroomDb>>().CreateDbContextAsync();

    /// <summary>A teacher's account, as the web's sign-up makes one.</summary>
    public async Task<string> AddTeacherAsync(string name = "teacher")
    {
        await using var db = await DbAsync();
        var teacher = new Teacher { UserName = $"{name}-{Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Users.Add(teacher);
        await db.SaveChangesAsync();
        return teacher.Id;
    }

    /// <summary>Joins as a new student and returns who they are.</summary>
    public async Task<StudentIdentity> JoinAsync(ClassSummary schoolClass, string name, string pin = "1234")
    {
        var result = await Accounts.JoinAsync(schoolClass.JoinCode, name, pin);
        return result.Student ?? throw new InvalidOperationException($"Joining as {name} failed: {result.Message}");
    }

    /// <summary>Every event of the class, from now on.</summary>
    public EventLog Listen(Guid classId)
    {
        var log = new EventLog();
        log.Subscription = Events.Subscribe(classId, log.Events.Enqueue);
        return log;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>The events a test heard.</summary>
public sealed class EventLog : IDisposable
{
    public ConcurrentQueue<ClassEvent> Events { get; } = new();

    internal IDisposable? Subscription { get; set; }

    public IReadOnlyList<T> Of<T>() where T : ClassEvent => [.. Events.OfType<T>()];

    public void Dispose() => Subscription?.Dispose();
}

/// <summary>Makes the next commit fail after every statement of its transaction ran: a server that died just before committing.</summary>
public sealed class CommitSaboteur : DbTransactionInterceptor
{
    private int _armed;

    public void FailNextCommit() => Interlocked.Exchange(ref _armed, 1);

    public override InterceptionResult TransactionCommitting(System.Data.Common.DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result) => Interlocked.Exchange(ref _armed, 0) == 1 ? throw new IOException("The server died before the commit.") : result;

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(System.Data.Common.DbTransaction transaction,
        TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionCommitting(transaction, eventData, result));
}
