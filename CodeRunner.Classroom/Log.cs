using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom;

/// <summary>Every log message of the classroom, source-generated. PINs and passwords never appear in one, nor do students' names.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "A handler of the class event {Event} failed")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "The classroom database ({Provider}, {Database}) is up to date")]
    public static partial void DatabaseUpToDate(ILogger logger, string provider, string database);

    [LoggerMessage(3, LogLevel.Information, "Applied {Count} migrations to the classroom database ({Provider}, {Database}); it is now at {Migration}")]
    public static partial void DatabaseMigrated(ILogger logger, string provider, string database, int count, string migration);

    [LoggerMessage(4, LogLevel.Information, "Teacher {TeacherId} made class {ClassId}")]
    public static partial void ClassCreated(ILogger logger, string teacherId, Guid classId);

    [LoggerMessage(5, LogLevel.Debug, "Join code taken already; drawing another (try {Try})")]
    public static partial void JoinCodeCollision(ILogger logger, int @try);

    [LoggerMessage(6, LogLevel.Information, "Student {StudentId} joined class {ClassId}")]
    public static partial void StudentJoined(ILogger logger, Guid classId, Guid studentId);

    [LoggerMessage(7, LogLevel.Information, "A wrong PIN for a name taken in class {ClassId}")]
    public static partial void WrongPin(ILogger logger, Guid classId);

    [LoggerMessage(8, LogLevel.Warning, "Too many wrong PINs for one name in class {ClassId}; further tries wait {RetryAfter}")]
    public static partial void TooManyTries(ILogger logger, Guid classId, TimeSpan retryAfter);

    [LoggerMessage(9, LogLevel.Information, "Teacher {TeacherId} removed student {StudentId} of class {ClassId}")]
    public static partial void StudentRemoved(ILogger logger, string teacherId, Guid classId, Guid studentId);

    [LoggerMessage(10, LogLevel.Information, "A save of student {StudentId}'s project met newer versions of {Count} files; the tab's text was kept beside them")]
    public static partial void SaveConflicts(ILogger logger, Guid studentId, int count);

    [LoggerMessage(11, LogLevel.Information, "Teacher {TeacherId} handed out {Files} files to the {Students} students of class {ClassId} ({Renamed} took another name)")]
    public static partial void HandedOut(ILogger logger, string teacherId, Guid classId, int files, int students, int renamed);

    [LoggerMessage(12, LogLevel.Debug, "The run record {RunRecordId} ended but is gone (its student was removed)")]
    public static partial void RunRecordGone(ILogger logger, long runRecordId);

    [LoggerMessage(13, LogLevel.Information, "Teacher {TeacherId} saved exercise {ExerciseId}")]
    public static partial void ExerciseSaved(ILogger logger, string teacherId, Guid exerciseId);

    [LoggerMessage(14, LogLevel.Information, "Teacher {TeacherId} published exercise {ExerciseId} to {Students} students")]
    public static partial void ExercisePublished(ILogger logger, string teacherId, Guid exerciseId, int students);

    [LoggerMessage(15, LogLevel.Information, "Teacher {TeacherId} made API token {TokenId} ({RequestsPerMinute} requests a minute)")]
    public static partial void ApiTokenCreated(ILogger logger, string teacherId, Guid tokenId, int requestsPerMinute);

    [LoggerMessage(16, LogLevel.Information, "Teacher {TeacherId} revoked API token {TokenId}")]
    public static partial void ApiTokenRevoked(ILogger logger, string teacherId, Guid tokenId);
}
