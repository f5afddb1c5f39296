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

    private readonly Lock _gate = new();
    private IEngineSession? _session;
    private int _disposed;

    /// <summary>
    /// The engine session, created on first use, and again after an administrator ended it: the next run starts afresh.
    /// </summary>
    public IEngineSession Session
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                if (_session is null || _session.IsClosed)
                {
                    _session = engine.CreateSession();
                }

                return _session;
            }
        }
    }

    /// <summary>The engine session's id once a run created it.</summary>
    public string? SessionId => Volatile.Read(ref _session)?.Id;

    /// <summary>The Docker network of the session's network mode once it used it.</summary>
    public string? NetworkName => Volatile.Read(ref _session)?.NetworkName;

    public async ValueTask DisposeAsync()
    {
        IEngineSession? session;
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
            session = _session;
        }

        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }
}
