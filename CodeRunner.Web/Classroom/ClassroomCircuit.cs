using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Runs;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// What a student's page adds in a class: it is online while connected, its runs are recorded and shown live to the
/// teacher, and the class's messages reach it. Nothing happens in the single-browser mode.
/// </summary>
public sealed class ClassroomCircuit(
    ClassMember member,
    IClassPresence presence,
    IStudentActivity activity,
    IClassroomEvents events,
    IClassService classes,
    RunConsoles consoles,
    LiveConsoles live,
    ILogger<ClassroomCircuit> logger) : IDisposable
{
    /// <summary>Messages older than this are not shown to a student who opens the page.</summary>
    private static readonly TimeSpan BroadcastShownFor = TimeSpan.FromHours(2);

    private readonly List<IDisposable> _owned = [];
    private readonly Lock _lock = new();
    private IDisposable? _online;
    private bool _started;

    /// <summary>The student, once <see cref="StartAsync"/> found one.</summary>
    public StudentIdentity? Student { get; private set; }

    /// <summary>The class's latest message, shown as a banner until dismissed.</summary>
    public BroadcastMessage? Broadcast { get; private set; }

    /// <summary>The teacher removed this student: the page says so, and the next load signs the browser out.</summary>
    public bool Removed { get; private set; }

    /// <summary>Raised on any thread when <see cref="Broadcast"/> or <see cref="Removed"/> changed.</summary>
    public event Action? Changed;

    public async Task StartAsync()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Student = await member.GetAsync();
        if (Student is not { } student)
        {
            return;
        }

        SetConnected(true);
        lock (_lock)
        {
            _owned.Add(events.Subscribe(student.ClassId, OnClassEvent));
            _owned.Add(live.Register(student.StudentId, consoles));
        }

        consoles.RunStarted += OnRunStarted;
        if (await classes.LatestBroadcastAsync(student.ClassId) is { } latest && DateTimeOffset.UtcNow - latest.SentAt < BroadcastShownFor)
        {
            Broadcast = latest;
        }
    }

    /// <summary>The page's connection came or went (the circuit handler says so): the roster shows it at once.</summary>
    public void SetConnected(bool connected)
    {
        if (Student is not { } student)
        {
            return;
        }

        lock (_lock)
        {
            if (connected)
            {
                _online ??= presence.Connect(student.ClassId, student.StudentId);
            }
            else
            {
                _online?.Dispose();
                _online = null;
            }
        }
    }

    public void DismissBroadcast()
    {
        Broadcast = null;
        Changed?.Invoke();
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        switch (classEvent)
        {
            case BroadcastSent sent:
                Broadcast = new BroadcastMessage(sent.Text, sent.SentAt);
                Changed?.Invoke();
                break;
            case StudentChanged { Removed: true } changed when changed.StudentId == Student?.StudentId:
                Removed = true;
                Changed?.Invoke();
                break;
        }
    }

    private void OnRunStarted(RunConsole console, IRunHandle run)
    {
        if (Student is { } student)
        {
            _ = RecordAsync(student, run);
        }
    }

    /// <summary>Records the run and shows it running on the roster until its verdict.</summary>
    private async Task RecordAsync(StudentIdentity student, IRunHandle run)
    {
        using var running = presence.Running(student.ClassId, student.StudentId, run.EntryFile);
        try
        {
            var record = await activity.RunStartedAsync(student.StudentId, run.EntryFile);
            var verdict = await run.Completion;
            await activity.RunEndedAsync(record, VerdictOutcome.Of(verdict), verdict.Summary);
        }
        catch (Exception ex)
        {
            Log.RunNotRecorded(logger, student.StudentId, ex);
        }
    }

    public void Dispose()
    {
        consoles.RunStarted -= OnRunStarted;
        lock (_lock)
        {
            _online?.Dispose();
            _online = null;
            _owned.ForEach(o => o.Dispose());
            _owned.Clear();
        }
    }
}
