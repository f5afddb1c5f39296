using System.Threading.RateLimiting;

namespace CodeRunner.Classroom.Accounts;

/// <summary>
/// Wrong PINs per class and name: after five within a minute, every further try for that name waits until the minute
/// is over, so that a PIN cannot be guessed by trying them all. In this server's memory (see docs/classroom.md).
/// </summary>
internal sealed class JoinThrottle : IDisposable
{
    public const int WrongTries = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<(Guid ClassId, string Name)> _limiter =
        PartitionedRateLimiter.Create<(Guid ClassId, string Name), (Guid, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = WrongTries,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>How long a try for this name must wait, or null when it may go ahead.</summary>
    public TimeSpan? MustWait(Guid classId, string normalizedName)
    {
        // Asking for no permit tells whether any is left, without taking one.
        using var lease = _limiter.AttemptAcquire((classId, normalizedName), 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
    }

    public void WrongPin(Guid classId, string normalizedName)
    {
        using var _ = _limiter.AttemptAcquire((classId, normalizedName));
    }

    public void Dispose() => _limiter.Dispose();
}
