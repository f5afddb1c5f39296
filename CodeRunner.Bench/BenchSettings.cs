namespace CodeRunner.Bench;

/// <summary>How much to measure: the full benchmark, or a tiny setting that only proves every scenario runs.</summary>
internal sealed record BenchSettings(
    int FloorIterations,
    int FastRuns,
    int Warmup,
    int CliRuns,
    int NetworkFirstRuns,
    int NetworkNextRuns,
    int BurstSize,
    int ThroughputSessions,
    TimeSpan ThroughputDuration,
    int OutputLines,
    int MemorySessions,
    int ClassroomStudents,
    TimeSpan ClassroomDuration,
    int UiRuns)
{
    public static readonly BenchSettings Full = new(50, 50, 5, 20, 10, 20, 40, 8, TimeSpan.FromSeconds(30), 100_000, 40, 40, TimeSpan.FromMinutes(2), 30);

    public static readonly BenchSettings Quick = new(5, 5, 1, 2, 1, 2, 4, 2, TimeSpan.FromSeconds(2), 2_000, 4, 4, TimeSpan.FromSeconds(20), 3);
}
