using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom;

/// <summary>Every log message of the classroom, source-generated. PINs and passwords never appear in one.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "A handler of the class event {Event} failed")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);
}
