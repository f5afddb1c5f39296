using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CodeRunner.Web.Sessions;

/// <summary>
/// Logs circuits opening and closing. It only observes: the scoped <see cref="CircuitSession"/> frees the engine
/// session, and a throwing handler would end the circuit, so everything here is wrapped in try/catch.
/// </summary>
public sealed class CircuitObserver(CircuitSession session, ILogger<CircuitObserver> logger) : CircuitHandler
{
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
