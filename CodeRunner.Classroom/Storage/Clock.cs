namespace CodeRunner.Classroom.Storage;

/// <summary>"Now" as the database keeps it.</summary>
internal static class Clock
{
    /// <summary>
    /// UTC now, to the microsecond: PostgreSQL keeps microseconds, so a time published in an event equals the same time
    /// read back from either database.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider time) => Stored(time.GetUtcNow());

    /// <summary>The time as the database keeps it: UTC, to the microsecond, so that it reads back equal from either database.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
