using CodeRunner.Engine.Runs;

namespace CodeRunner.Web;

/// <summary>Every log message of the web host, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Circuit {CircuitId} opened")]
    public static partial void CircuitOpened(ILogger logger, string circuitId);

    [LoggerMessage(2, LogLevel.Information, "Circuit {CircuitId} closed; its engine session {SessionId} is disposed with its scope")]
    public static partial void CircuitClosed(ILogger logger, string circuitId, string sessionId);

    [LoggerMessage(3, LogLevel.Warning, "Circuit observer failed: {Message}")]
    public static partial void CircuitObserverFailed(ILogger logger, string message);

    [LoggerMessage(4, LogLevel.Debug, "Run {RunId} of {EntryFile} started in {Mode} mode")]
    public static partial void RunStarted(ILogger logger, string entryFile, string runId, RunMode mode);

    [LoggerMessage(5, LogLevel.Error, "The run of {EntryFile} could not start")]
    public static partial void RunFailedToStart(ILogger logger, string entryFile, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "A run of student {StudentId} could not be recorded for the roster")]
    public static partial void RunNotRecorded(ILogger logger, Guid studentId, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Made the first teacher account, {User}, from Teacher:InitialUser")]
    public static partial void InitialTeacherCreated(ILogger logger, string user);

    [LoggerMessage(8, LogLevel.Warning, "No teacher account exists yet: the one-time setup link is printed on the server's console")]
    public static partial void SetupLinkPrinted(ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "A check or an action on exercise {ExerciseId} failed")]
    public static partial void ExerciseCheckFailed(ILogger logger, Guid exerciseId, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "{Teacher}, the first teacher, is now the server's administrator (the admin page at /admin)")]
    public static partial void AdministratorAppointed(ILogger logger, string teacher);

    [LoggerMessage(11, LogLevel.Debug, "An API stream ended early: {Reason}")]
    public static partial void ApiStreamClosed(ILogger logger, string reason);
}
