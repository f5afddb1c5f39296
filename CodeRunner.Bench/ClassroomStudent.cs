using System.Diagnostics;
using System.Security.Claims;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Bench;

/// <summary>
/// One student of the benchmark's class, inside the web host: joined with a name and PIN, then the server side of their
/// IDE page, made of the same classes a circuit makes (<see cref="ClassroomCircuit"/>, <see cref="CircuitWorkspaceStorage"/>,
/// <see cref="WorkspaceStore"/>, <see cref="RunConsoles"/>, <see cref="CircuitSession"/>), on a dispatcher of its own as a
/// circuit's, with the page's typing and Run clicks played at a steady pace. Only the browser itself is left out.
/// </summary>
internal sealed class ClassroomStudent : IAsyncDisposable
{
    public const string MainFile = "main.py";
    public const string CheckFile = "check.py";

    private readonly Dispatcher _dispatcher = Dispatcher.CreateDefault();
    private readonly ClassroomTally _tally;
    private readonly CircuitWorkspaceStorage _storage;
    private readonly WorkspaceStore _store;
    private readonly CircuitSession _session;
    private readonly RunConsoles _consoles;
    private readonly ClassroomCircuit _circuit;
    private readonly List<Task> _runs = [];
    private long _clickedAt;

    private ClassroomStudent(IServiceProvider services, StudentIdentity student, ClassroomTally tally)
    {
        Name = student.StudentName;
        _tally = tally;
        var member = new ClassMember(new SignedIn(StudentAuthentication.Principal(student)), services.GetRequiredService<IStudentAccounts>());
        _storage = new CircuitWorkspaceStorage(member, new BrowserWorkspaceStorage(new BrowserlessJs()),
            services.GetRequiredService<IStudentProjects>(), services.GetRequiredService<IClassroomEvents>());
        _store = new WorkspaceStore(new TimedWorkspaceStorage(_storage, tally), services.GetRequiredService<IOptions<WorkspaceOptions>>(),
            services.GetRequiredService<StarterProject>())
        {
            Dispatch = work => _dispatcher.InvokeAsync(work),
        };
        _session = new CircuitSession(services.GetRequiredService<IExecutionEngine>());
        _consoles = new RunConsoles(_session, _store, services.GetRequiredService<ILogger<RunConsoles>>());
        _circuit = new ClassroomCircuit(member, services.GetRequiredService<IClassPresence>(), services.GetRequiredService<IStudentActivity>(),
            services.GetRequiredService<IClassroomEvents>(), services.GetRequiredService<IClassService>(), _consoles,
            services.GetRequiredService<LiveConsoles>(), services.GetRequiredService<ILogger<ClassroomCircuit>>());
        _consoles.RunStarted += OnRunStarted;
    }

    public string Name { get; }

    /// <summary>Joins the class as the join form does, then opens the IDE page as its first render does.</summary>
    public static async Task<ClassroomStudent> JoinAsync(IServiceProvider services, string code, int number, ClassroomTally tally,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var joined = await services.GetRequiredService<IStudentAccounts>().JoinAsync(code, $"Student {number:00}", $"{1000 + number}", cancellationToken);
        tally.Joined(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var identity = joined.Student ?? throw new InvalidOperationException($"Student {number:00} could not join: {joined.Message}");
        var student = new ClassroomStudent(services, identity, tally);
        await student._dispatcher.InvokeAsync(async () =>
        {
            await student._circuit.StartAsync();
            await student._store.LoadAsync();
        });
        if (!student._storage.IsServer || !student._store.Project.IsFile(MainFile))
        {
            throw new InvalidOperationException($"{student.Name}'s page did not load the class project with its hand-out ({MainFile}).");
        }

        return student;
    }

    /// <summary>
    /// Types into main.py every <paramref name="saveEvery"/> (the store saves it 300 ms later, as the IDE does) and runs
    /// every <paramref name="runEvery"/>, main.py and the checker by turns, from <paramref name="start"/> plus the
    /// offsets until <paramref name="length"/> has passed; then waits for the runs it started.
    /// </summary>
    public async Task WorkAsync(long start, TimeSpan length, (TimeSpan Every, TimeSpan Offset) saves, (TimeSpan Every, TimeSpan Offset) runs,
        CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            EveryAsync(start, length, saves, edit => _dispatcher.InvokeAsync(() => _store.UpdateContent(MainFile, MainText(Name, edit + 1))), cancellationToken),
            EveryAsync(start, length, runs, run => _dispatcher.InvokeAsync(async () =>
            {
                _clickedAt = Stopwatch.GetTimestamp();
                var console = await _consoles.StartAsync(run % 2 == 0 ? MainFile : CheckFile);
                if (console.StartError is { } error)
                {
                    _tally.NotStarted($"{console.Path}: {error}");
                }
            }), cancellationToken));
        Task[] pending;
        lock (_runs)
        {
            pending = [.. _runs];
        }

        await Task.WhenAll(pending);
    }

    private static async Task EveryAsync(long start, TimeSpan length, (TimeSpan Every, TimeSpan Offset) pace, Func<int, Task> act,
        CancellationToken cancellationToken)
    {
        for (var i = 0; pace.Offset + i * pace.Every < length; i++)
        {
            var wait = pace.Offset + i * pace.Every - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await act(i);
        }
    }

    /// <summary>The moment the run's verdict is known on the server: the roster's latency is measured from here.</summary>
    private void OnRunStarted(RunConsole console, IRunHandle run)
    {
        var clicked = _clickedAt;
        var expected = run.EntryFile == MainFile ? "succeeded" : "failed";
        var ended = run.Completion.ContinueWith(done => _tally.Ended(new ClassroomVerdict(Name, run.EntryFile, expected,
            VerdictOutcome.Of(done.Result), (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds,
            Stopwatch.GetElapsedTime(clicked).TotalMilliseconds, done.Result.Summary)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        lock (_runs)
        {
            _runs.Add(ended);
        }
    }

    /// <summary>What the student has typed by their <paramref name="edit"/>th change: always a program that runs.</summary>
    public static string MainText(string name, int edit) =>
        $"# {name}, edit {edit}\ndef answer():\n    return 42\n\n\nif __name__ == '__main__':\n    print('{name}:', answer())\n";

    /// <summary>The teacher's checker, handed out with main.py: it fails, as a student's first tries do.</summary>
    public const string CheckText = "from main import answer\n\nassert answer() == 43, 'answer() should give 43'\nprint('well done')\n";

    /// <summary>The page closes: offline on the roster, its engine session and its runs gone.</summary>
    public async ValueTask DisposeAsync()
    {
        _consoles.RunStarted -= OnRunStarted;
        _circuit.Dispose();
        _consoles.Dispose();
        await _session.DisposeAsync();
        _storage.Dispose();
    }

    /// <summary>The user of the circuit, as the student's cookie gives it.</summary>
    private sealed class SignedIn(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
