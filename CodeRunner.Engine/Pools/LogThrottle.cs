using System.Diagnostics;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// Lets a message through at most once per interval and counts what it held back, so that a fault that repeats
/// on every run (a reset that keeps failing, say) is reported without flooding the log.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _last = long.MinValue;
    private int _suppressed;

    /// <summary>True when the message may be logged now; <paramref name="suppressed"/> says how many were held back since.</summary>
    public bool TryEnter(out int suppressed)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_last != long.MinValue && Stopwatch.GetElapsedTime(_last, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _last = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
