using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Live;

/// <summary>Class events within this process. A handler that throws is logged and never stops the others.</summary>
internal sealed class InProcessClassroomEvents(ILogger<InProcessClassroomEvents> logger) : IClassroomEvents
{
    private readonly ConcurrentDictionary<Guid, ImmutableHandlers> _handlers = new();

    public IDisposable Subscribe(Guid classId, Action<ClassEvent> handler)
    {
        _handlers.AddOrUpdate(classId, _ => new([handler]), (_, h) => new([.. h.List, handler]));
        return new Subscription(() => _handlers.AddOrUpdate(classId, _ => new([]), (_, h) => new([.. h.List.Where(x => x != handler)])));
    }

    public void Publish(ClassEvent classEvent)
    {
        if (!_handlers.TryGetValue(classEvent.ClassId, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.List)
        {
            try
            {
                handler(classEvent);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(logger, classEvent.GetType().Name, ex);
            }
        }
    }

    /// <summary>A copy-on-write list, so that publishing never holds a lock while handlers run.</summary>
    private sealed record ImmutableHandlers(Action<ClassEvent>[] List);

    private sealed class Subscription(Action remove) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                remove();
            }
        }
    }
}
