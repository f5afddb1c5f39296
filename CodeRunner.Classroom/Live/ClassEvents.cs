namespace CodeRunner.Classroom.Live;

/// <summary>Something that happened in a class, for the pages that show it live.</summary>
public abstract record ClassEvent(Guid ClassId);

/// <summary>A student came online or went offline, or started or ended a run (see <see cref="IClassPresence"/>).</summary>
public sealed record PresenceChanged(Guid ClassId, Guid StudentId) : ClassEvent(ClassId);

/// <summary>A run a student made started or ended, and is recorded.</summary>
public sealed record RunRecorded(Guid ClassId, Guid StudentId) : ClassEvent(ClassId);

/// <summary>A student's project was saved: the versions the files have now, what was deleted, and which tab saved it.</summary>
public sealed record ProjectSaved(Guid ClassId, Guid StudentId, IReadOnlyDictionary<string, long> Versions,
    IReadOnlyList<string> Deleted, string Origin) : ClassEvent(ClassId);

/// <summary>The teacher handed out files: every student's project changed.</summary>
public sealed record FilesHandedOut(Guid ClassId) : ClassEvent(ClassId);

/// <summary>The teacher sent a message to the class.</summary>
public sealed record BroadcastSent(Guid ClassId, string Text, DateTimeOffset SentAt) : ClassEvent(ClassId);

/// <summary>The teacher published an exercise (or changed or deleted a published one): students' exercise panels reload.</summary>
public sealed record ExercisesChanged(Guid ClassId) : ClassEvent(ClassId);

/// <summary>A student submitted to an exercise: the gradebook changed.</summary>
public sealed record SubmissionRecorded(Guid ClassId, Guid StudentId, Guid ExerciseId) : ClassEvent(ClassId);

/// <summary>A student joined, was renamed or was removed.</summary>
public sealed record StudentChanged(Guid ClassId, Guid StudentId, bool Removed) : ClassEvent(ClassId);

/// <summary>
/// Live updates between the pages of one class. This server's implementation is in-process; with several web servers,
/// another implementation carries the same events between them (see docs/classroom.md).
/// </summary>
public interface IClassroomEvents
{
    /// <summary>Calls <paramref name="handler"/> for every event of the class until the result is disposed.</summary>
    IDisposable Subscribe(Guid classId, Action<ClassEvent> handler);

    void Publish(ClassEvent classEvent);
}
