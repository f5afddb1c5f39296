using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Api;

/// <summary>
/// The runs that clients poll (<c>?wait=false</c>, Judge0 tokens), in memory: bounded by count (the oldest finished go
/// first) and by age once finished. Only the teacher whose token started a run may read it.
/// </summary>
public sealed class ApiRunStore(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _runs = new();

    private sealed record Entry(string Owner, DateTimeOffset Started, Task<ApiRunResult> Result)
    {
        public DateTimeOffset? FinishedAt { get; set; }
    }

    public int Count => _runs.Count;

    /// <summary>Keeps a run; false when the store is full of runs still going, so that the caller can answer 503.</summary>
    public bool TryAdd(string id, string owner, Task<ApiRunResult> result)
    {
        Trim();
        if (_runs.Count >= options.Value.KeptRuns)
        {
            return false;
        }

        var entry = new Entry(owner, time.GetUtcNow(), result);
        _runs[id] = entry;
        _ = result.ContinueWith(_ => entry.FinishedAt = time.GetUtcNow(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>The run if it is the owner's and still kept; null otherwise (the same answer whether it exists or not).</summary>
    public Task<ApiRunResult>? Find(string id, string owner)
    {
        Trim();
        return _runs.TryGetValue(id, out var entry) && entry.Owner == owner ? entry.Result : null;
    }

    private void Trim()
    {
        var keep = TimeSpan.FromMinutes(options.Value.KeepFinishedMinutes);
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _runs)
        {
            if (entry.FinishedAt is { } finished && now - finished > keep)
            {
                _runs.TryRemove(id, out _);
            }
        }

        var over = _runs.Count - options.Value.KeptRuns + 1;
        if (over > 0)
        {
            foreach (var (id, _) in _runs.Where(r => r.Value.FinishedAt is not null).OrderBy(r => r.Value.FinishedAt).Take(over).ToList())
            {
                _runs.TryRemove(id, out _);
            }
        }
    }
}
