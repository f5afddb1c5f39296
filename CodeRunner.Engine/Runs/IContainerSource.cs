using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Runs;

/// <summary>Where a run tells the student what it is waiting for.</summary>
internal interface IRunProgress
{
    /// <summary>A message line of its own in the console, such as "starting another python container…".</summary>
    void Say(string message);

    /// <summary>What the run waits for now, replacing what it waited for before; empty once it waits no more.</summary>
    void Status(string status);
}

/// <summary>What a run asks of a container source: a container of this runtime, for this session.</summary>
internal sealed record ContainerRequest(Runtime Runtime, string Session, IRunProgress Progress);

/// <summary>Where a run gets its container and where the container goes afterwards: a warm pool or a session's network.</summary>
internal interface IContainerSource
{
    Task<RuntimeContainer> AcquireAsync(ContainerRequest request, CancellationToken cancellationToken);

    /// <summary>Takes the container back after its run: waits for its reset when it is reusable, else destroys it.</summary>
    Task ReleaseAsync(RuntimeContainer container, bool reusable);
}
