namespace CodeRunner.Engine.Sql;

/// <summary>What SQL runs may use, bound from <c>Engine:Sql</c>. The server is shared by every session of the engine.</summary>
public sealed class SqlOptions
{
    /// <summary>Most rows a result shows; the run says when a result had more.</summary>
    public int MaxRows { get; set; } = 1000;

    /// <summary>Memory of the PostgreSQL server's container, for every session's database together.</summary>
    public int ServerMemoryMb { get; set; } = 1024;

    /// <summary>CPUs the server may use, for every session together.</summary>
    public double ServerCpus { get; set; } = 1.0;

    /// <summary>The tmpfs that holds every session's database.</summary>
    public int StorageMb { get; set; } = 2048;

    /// <summary>Memory one sort or hash of a session's query may use before it spills to a temporary file.</summary>
    public int WorkMemMb { get; set; } = 4;

    /// <summary>Most temporary file space one of a session's queries may use (a role setting the student cannot change).</summary>
    public int TempFileLimitMb { get; set; } = 256;

    /// <summary>How long the server may take to start before SQL runs say it is unavailable.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Problems(string section)
    {
        (string Key, double Value, double Min, double Max)[] ranges =
        [
            (nameof(MaxRows), MaxRows, 1, 1_000_000),
            (nameof(ServerMemoryMb), ServerMemoryMb, 128, 1_048_576),
            (nameof(ServerCpus), ServerCpus, 0.1, 1024),
            (nameof(StorageMb), StorageMb, 64, 1_048_576),
            (nameof(WorkMemMb), WorkMemMb, 1, 2048),
            (nameof(TempFileLimitMb), TempFileLimitMb, 1, 1_048_576),
        ];
        foreach (var (key, value, min, max) in ranges.Where(r => r.Value < r.Min || r.Value > r.Max))
        {
            yield return $"{section}:{key} must be between {min} and {max} (it is {value}).";
        }

        if (StartTimeout < TimeSpan.FromSeconds(1) || StartTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{section}:StartTimeout must be between 00:00:01 and 00:10:00 (it is {StartTimeout}).";
        }
    }
}
