using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Pools;

/// <summary>What a pool holds: containers of one runtime on one network mode, with these labels, and how many.</summary>
internal sealed record PoolSpec(
    Runtime Runtime,
    string NetworkMode,
    IReadOnlyDictionary<string, string> Labels,
    int Target,
    int Max,
    TimeSpan AcquireTimeout,
    TimeSpan TrimAfter);
