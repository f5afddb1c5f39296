using CodeRunner.Engine;
using CodeRunner.Engine.Sessions;

namespace CodeRunner.Web.Sessions;

/// <summary>
/// The engine session of one Blazor circuit. Scoped, so it is disposed with the circuit: its runs are stopped and
/// its network-mode containers and network removed. The engine's sweeper is the backstop.
/// </summary>
public sealed class CircuitSession(IExecutionEngine engine) : IAsyncDisposable
{
    /// <summary>How long a disconnected circuit (and so this session) is kept by default: see docs/ide.md.</summary>
    public const int DefaultRetentionSeconds = 30;

    private readonly Lazy<IEngineSession> _session = new(engine.CreateSession);
    private int _disposed;

    /// <summary>The engine session, created on first use.</summary>
    public IEngineSession Session => _session.Value;

    /// <summary>The engine session's id once a run created it.</summary>
    public string? SessionId => _session.IsValueCreated ? _session.Value.Id : null;

    /// <summary>The Docker network of the session's network mode once it used it.</summary>
    public string? NetworkName => _session.IsValueCreated ? _session.Value.NetworkName : null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _session.IsValueCreated)
        {
            await _session.Value.DisposeAsync();
        }
    }
}
