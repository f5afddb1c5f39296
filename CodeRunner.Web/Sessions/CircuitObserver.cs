using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CodeRunner.Web.Sessions;

/// <summary>
/// Logs circuits opening and closing. It only observes: the scoped <see cref="CircuitSession"/> frees the engine
/// session, and a throwing handler would end the circuit, so everything here is wrapped in try/catch.
/// </summary>
public sealed class CircuitObserver(CircuitSession session, Classroom.ClassroomCircuit classroom, ILogger<CircuitObserver> logger) : CircuitHandler
{
    /// <summary>A student whose connection dropped shows as offline on the roster at once, not when the circuit ends.</summary>
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) => Observe(() => classroom.SetConnected(true));

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => Observe(() => classroom.SetConnected(false));

    private Task Observe(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.CircuitObserverFailed(logger, ex.Message);
        }

        return Task.CompletedTask;
    }

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        try
        {
            Log.CircuitOpened(logger, circuit.Id);
        }
        catch (Exception ex)
        {
            Log.CircuitObserverFailed(logger, ex.Message);
        }

        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        try
        {
            Log.CircuitClosed(logger, circuit.Id, session.SessionId ?? "(none)");
        }
        catch (Exception ex)
        {
            Log.CircuitObserverFailed(logger, ex.Message);
        }

        return Task.CompletedTask;
    }
}
