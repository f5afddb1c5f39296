using System.Collections.Concurrent;

namespace CodeRunner.Engine.Pools;

/// <summary>Work a pool started without awaiting it (creations, removals), so that its disposal can wait for all of it.</summary>
internal sealed class BackgroundWork
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public bool IsIdle => _pending.IsEmpty;

    public void Track(Task task)
    {
        _pending[task] = 0;
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when nothing tracked is under way, including work started meanwhile; faults are the work's own to log.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!_pending.IsEmpty)
        {
            await Task.WhenAll(_pending.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
