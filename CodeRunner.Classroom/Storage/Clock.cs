namespace CodeRunner.Classroom.Storage;

/// <summary>"Now" as the database keeps it.</summary>
internal static class Clock
{
    /// <summary>
    /// UTC now, to the microsecond: PostgreSQL keeps microseconds, so a time published in an event equals the same time
    /// read back from either database.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }
}
