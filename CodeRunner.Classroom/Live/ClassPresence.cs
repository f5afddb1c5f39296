using System.Collections.Concurrent;

namespace CodeRunner.Classroom.Live;

/// <summary>Whether a student is online now, and which file they are running, if any.</summary>
public sealed record StudentPresence(bool Online, string? RunningFile);

/// <summary>Who is online in a class and what they run: kept in this server's memory, and published as <see cref="PresenceChanged"/>.</summary>
public interface IClassPresence
{
    /// <summary>The student has a page open; disposing the result (the page closed) ends it. Several pages may be open.</summary>
    IDisposable Connect(Guid classId, Guid studentId);

    /// <summary>A run of <paramref name="file"/> started; disposing the result says it ended.</summary>
    IDisposable Running(Guid classId, Guid studentId, string file);

    StudentPresence Of(Guid studentId);
}

/// <inheritdoc cref="IClassPresence"/>
internal sealed class ClassPresence(IClassroomEvents events) : IClassPresence
{
    private readonly ConcurrentDictionary<Guid, State> _students = new();

    public IDisposable Connect(Guid classId, Guid studentId) =>
        Change(classId, studentId, s => s.Pages++, s => s.Pages--);

    public IDisposable Running(Guid classId, Guid studentId, string file) =>
        Change(classId, studentId, s => s.Runs.Add(file), s => s.Runs.Remove(file));

    public StudentPresence Of(Guid studentId)
    {
        if (!_students.TryGetValue(studentId, out var state))
        {
            return new StudentPresence(false, null);
        }

        lock (state)
        {
            return new StudentPresence(state.Pages > 0, state.Runs.Count > 0 ? state.Runs[^1] : null);
        }
    }

    private Release Change(Guid classId, Guid studentId, Action<State> begin, Action<State> end)
    {
        var state = _students.GetOrAdd(studentId, _ => new State());
        lock (state)
        {
            begin(state);
        }

        events.Publish(new PresenceChanged(classId, studentId));
        return new Release(() =>
        {
            lock (state)
            {
                end(state);
            }

            events.Publish(new PresenceChanged(classId, studentId));
        });
    }

    private sealed class State
    {
        public int Pages { get; set; }
        public List<string> Runs { get; } = [];
    }

    private sealed class Release(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
        }
    }
}
