using System.Diagnostics;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Bench;

/// <summary>What the students of the benchmark's class did, collected from all of them at once.</summary>
internal sealed class ClassroomTally
{
    private readonly Lock _lock = new();
    private readonly List<double> _joins = [];
    private readonly List<double> _saves = [];
    private readonly List<string> _saveProblems = [];
    private readonly List<ClassroomVerdict> _verdicts = [];
    private readonly List<string> _notStarted = [];

    public void Joined(double ms)
    {
        lock (_lock)
        {
            _joins.Add(ms);
        }
    }

    public void Saved(double ms, string? problem)
    {
        lock (_lock)
        {
            _saves.Add(ms);
            if (problem is not null)
            {
                _saveProblems.Add(problem);
            }
        }
    }

    public void Ended(ClassroomVerdict verdict)
    {
        lock (_lock)
        {
            _verdicts.Add(verdict);
        }
    }

    public void NotStarted(string why)
    {
        lock (_lock)
        {
            _notStarted.Add(why);
        }
    }

    public ClassroomResults Results()
    {
        lock (_lock)
        {
            return new ClassroomResults([.. _joins], [.. _saves], [.. _saveProblems], [.. _verdicts], [.. _notStarted]);
        }
    }
}

/// <summary>A student page's storage as the IDE uses it, with each save timed as the server performs it.</summary>
internal sealed class TimedWorkspaceStorage(IWorkspaceStorage inner, ClassroomTally tally) : IWorkspaceStorage
{
    public event Action<RemoteChange>? RemoteChanged
    {
        add => inner.RemoteChanged += value;
        remove => inner.RemoteChanged -= value;
    }

    public Task<StoredWorkspace?> LoadAsync(long maxFileBytes) => inner.LoadAsync(maxFileBytes);

    public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed)
    {
        var started = Stopwatch.GetTimestamp();
        var problem = await inner.SaveAsync(manifest, changed, binaries, removed);
        tally.Saved(Stopwatch.GetElapsedTime(started).TotalMilliseconds, problem);
        return problem;
    }
}
