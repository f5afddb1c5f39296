namespace CodeRunner.Classroom.Classes;

/// <summary>A class as its teacher's pages show it.</summary>
public sealed record ClassSummary(Guid Id, string Name, string JoinCode, int Students, DateTimeOffset CreatedAt);

/// <summary>A student as the class page lists them.</summary>
public sealed record StudentSummary(Guid Id, string Name, DateTimeOffset JoinedAt);

/// <summary>How a run ended, for the roster.</summary>
public sealed record RunSummary(string File, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Outcome, string? Summary);

/// <summary>What the database knows of a student for the roster; whether they are online and running comes from <see cref="Live.IClassPresence"/>.</summary>
public sealed record RosterEntry(Guid StudentId, string Name, RunSummary? LastRun, int RunsToday);

/// <summary>A message the teacher sent to the class.</summary>
public sealed record BroadcastMessage(string Text, DateTimeOffset SentAt);

/// <summary>
/// A teacher's classes. Every method that takes a teacher's id checks that the class is that teacher's, and throws
/// <see cref="ClassroomAccessException"/> otherwise, whatever id was guessed.
/// </summary>
public interface IClassService
{
    /// <summary>Makes a class with a new join code (unique on the server).</summary>
    /// <exception cref="ClassroomException">The name is empty or longer than 80 characters.</exception>
    Task<ClassSummary> CreateAsync(string teacherId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ClassSummary>> ListAsync(string teacherId, CancellationToken cancellationToken = default);

    Task<ClassSummary> GetAsync(string teacherId, Guid classId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StudentSummary>> StudentsAsync(string teacherId, Guid classId, CancellationToken cancellationToken = default);

    /// <summary>Each student with their last run and the runs they started since <paramref name="since"/> (today's start).</summary>
    Task<IReadOnlyList<RosterEntry>> RosterAsync(string teacherId, Guid classId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Stores the message and publishes it to the class's students (<see cref="Live.BroadcastSent"/>).</summary>
    /// <exception cref="ClassroomException">The text is empty or longer than 1,000 characters.</exception>
    Task SendBroadcastAsync(string teacherId, Guid classId, string text, CancellationToken cancellationToken = default);

    /// <summary>The class's latest message, for a student's banner (null when none was sent).</summary>
    Task<BroadcastMessage?> LatestBroadcastAsync(Guid classId, CancellationToken cancellationToken = default);
}
