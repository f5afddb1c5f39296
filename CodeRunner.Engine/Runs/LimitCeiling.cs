using System.Globalization;
using CodeRunner.Engine.Agent;

namespace CodeRunner.Engine.Runs;

/// <summary>
/// Turns the limits a run or a case asks for into the agent's, under the server's ceiling: the runtime's own
/// limits (<see cref="SandboxLimits"/>, from the options and the runtime's manifest). What is not asked for is the ceiling.
/// </summary>
internal static class LimitCeiling
{
    /// <exception cref="LimitAboveCeilingException">A limit is above the ceiling; the message names both.</exception>
    /// <exception cref="InvalidRunRequestException">A limit is zero or negative.</exception>
    public static AgentLimits Resolve(Testing.RunLimits? asked, Runtimes.Runtime runtime, string? what = null)
    {
        var ceiling = runtime.Limits;
        var prefix = what is null ? "" : what + ": ";
        var wallCeiling = TimeSpan.FromSeconds(ceiling.TimeoutSeconds);
        var memoryCeiling = ceiling.MemoryMb * 1024L * 1024L;
        var wall = Check(asked?.WallTime, wallCeiling, "a time limit", Seconds, prefix);
        // A program never gets more CPU time than wall time: the wall-clock ceiling bounds both.
        var cpu = asked?.CpuTime is { } c ? Check(c, wallCeiling, "a CPU time limit", Seconds, prefix) : (TimeSpan?)null;
        var memory = asked?.MemoryBytes is { } m ? Check(m, memoryCeiling, "a memory limit", Bytes, prefix) : (long?)null;
        var output = Check(asked?.OutputBytes, ceiling.OutputLimitBytes, "an output limit", Bytes, prefix);
        // At the ceiling the container's own memory limit does the work and the agent need not measure, unless the
        // container also holds a resident compiler's memory: then the agent measures the run against its limit.
        var measured = memory < memoryCeiling || runtime.ResidentMemoryMb > 0 ? memory ?? memoryCeiling : (long?)null;
        return new AgentLimits(wall, output, cpu, measured);
    }

    private static T Check<T>(T? asked, T ceiling, string name, Func<T, string> show, string prefix)
        where T : struct, IComparable<T>
    {
        if (asked is not { } value)
        {
            return ceiling;
        }

        if (value.CompareTo(default) <= 0)
        {
            throw new InvalidRunRequestException(Sentence($"{prefix}{name} of {show(value)} is not positive; leave it out to get this server's {show(ceiling)}."));
        }

        if (value.CompareTo(ceiling) > 0)
        {
            throw new LimitAboveCeilingException(
                Sentence($"{prefix}{name} of {show(value)} is above this server's ceiling of {show(ceiling)}; ask for {show(ceiling)} or less."));
        }

        return value;
    }

    private static string Sentence(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    public static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.###} s");

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.##} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.##} KB"),
        _ => $"{bytes} bytes",
    };
}
