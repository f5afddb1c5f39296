namespace CodeRunner.Engine;

/// <summary>What a host needs to listen to the engine's metrics.</summary>
public static class EngineTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the engine's instruments.</summary>
    public const string MeterName = "CodeRunner.Engine";
}
