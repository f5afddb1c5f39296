using System.Collections.Concurrent;
using CodeRunner.Web.Runs;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// The consoles of every student's open pages on this server, so that their teacher can watch them as they run. With
/// several web servers, a teacher sees the consoles of students on the same server only (docs/classroom.md).
/// </summary>
public sealed class LiveConsoles
{
    private readonly ConcurrentDictionary<Guid, ImmutableList> _pages = new();

    /// <summary>A student's page added or removed its consoles.</summary>
    public event Action<Guid>? PagesChanged;

    /// <summary>Shows a page's consoles to the teacher until the result is disposed (the page closed).</summary>
    public IDisposable Register(Guid studentId, RunConsoles consoles)
    {
        _pages.AddOrUpdate(studentId, _ => new([consoles]), (_, list) => new([.. list.Items, consoles]));
        PagesChanged?.Invoke(studentId);
        return new Registration(() =>
        {
            _pages.AddOrUpdate(studentId, _ => new([]), (_, list) => new([.. list.Items.Where(c => c != consoles)]));
            PagesChanged?.Invoke(studentId);
        });
    }

    /// <summary>The consoles of each open page of the student, newest page last.</summary>
    public IReadOnlyList<RunConsoles> Of(Guid studentId) => _pages.TryGetValue(studentId, out var list) ? list.Items : [];

    private sealed record ImmutableList(RunConsoles[] Items);

    private sealed class Registration(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
