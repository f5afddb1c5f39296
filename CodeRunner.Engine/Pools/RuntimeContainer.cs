using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Pools;

/// <summary>A running container of one runtime, with its agent connection; owns both.</summary>
internal sealed class RuntimeContainer(string id, Runtime runtime, AgentConnection agent, IContainerOperations containers)
    : IAsyncDisposable
{
    private int _retired;
    private int _resetting;
    private int _disposed;

    public string Id { get; } = id;
    public Runtime Runtime { get; } = runtime;
    public AgentConnection Agent { get; } = agent;

    /// <summary>Runs started in this container so far.</summary>
    public int Runs { get; set; }

    /// <summary>Sets whether the agent is resetting the container after a run; true when that changed it.</summary>
    public bool TrySetResetting(bool resetting) =>
        Interlocked.Exchange(ref _resetting, resetting ? 1 : 0) != (resetting ? 1 : 0);

    /// <summary>Marks the container as leaving its owner; true only for the first caller.</summary>
    public bool TryRetire() => Interlocked.Exchange(ref _retired, 1) == 0;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Agent.DisposeAsync().ConfigureAwait(false);
        await containers.RemoveAsync(Id).ConfigureAwait(false);
    }
}
