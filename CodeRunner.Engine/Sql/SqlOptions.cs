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
        if (MaxRows is < 1 or > 1_000_000)
        {
            yield return $"{section}:MaxRows must be between 1 and 1000000 (it is {MaxRows}).";
        }

        if (ServerMemoryMb is < 128 or > 1_048_576)
        {
            yield return $"{section}:ServerMemoryMb must be at least 128 (it is {ServerMemoryMb}).";
        }

        if (ServerCpus is < 0.1 or > 1024)
        {
            yield return $"{section}:ServerCpus must be between 0.1 and 1024 (it is {ServerCpus}).";
        }

        if (StorageMb is < 64 or > 1_048_576)
        {
            yield return $"{section}:StorageMb must be at least 64 (it is {StorageMb}).";
        }

        if (WorkMemMb is < 1 or > 2048)
        {
            yield return $"{section}:WorkMemMb must be between 1 and 2048 (it is {WorkMemMb}).";
        }

        if (TempFileLimitMb is < 1 or > 1_048_576)
        {
            yield return $"{section}:TempFileLimitMb must be at least 1 (it is {TempFileLimitMb}).";
        }

        if (StartTimeout < TimeSpan.FromSeconds(1) || StartTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{section}:StartTimeout must be between 00:00:01 and 00:10:00 (it is {StartTimeout}).";
        }
    }
}
