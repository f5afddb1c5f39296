namespace CodeRunner.Classroom.Accounts;

/// <summary>Why joining was refused.</summary>
public enum JoinProblem
{
    /// <summary>No class has that code.</summary>
    UnknownCode,

    /// <summary>The name is empty, too long (over 40 characters) or has characters a name cannot have.</summary>
    InvalidName,

    /// <summary>The PIN is not 4 to 8 digits.</summary>
    InvalidPin,

    /// <summary>The name is taken in the class and the PIN is not that student's.</summary>
    WrongPin,

    /// <summary>Five wrong PINs for that name within a minute: <see cref="JoinResult.RetryAfter"/> says when to try again.</summary>
    TooManyTries,
}

/// <summary>The outcome of joining: a student (new, or the same student coming back), or a refusal with a sentence to show.</summary>
public sealed record JoinResult(
    StudentIdentity? Student,
    bool IsNew,
    JoinProblem? Problem,
    string? Message,
    TimeSpan? RetryAfter);

/// <summary>Who a signed-in student is.</summary>
public sealed record StudentIdentity(Guid StudentId, Guid ClassId, string StudentName, string ClassName, string JoinCode);

/// <summary>Students: joining a class with a name and PIN, and what the teacher may change about them.</summary>
public interface IStudentAccounts
{
    /// <summary>
    /// Joins the class with <paramref name="code"/> (any case, spaces ignored). A new name makes a new student, with the
    /// class's handouts in their project; a name that is taken signs that student in when the PIN is theirs. The PIN
    /// is stored as a hash only.
    /// </summary>
    Task<JoinResult> JoinAsync(string code, string name, string pin, CancellationToken cancellationToken = default);

    /// <summary>The student, or null when they were removed (their browser is then signed out).</summary>
    Task<StudentIdentity?> FindAsync(Guid studentId, CancellationToken cancellationToken = default);

    /// <exception cref="ClassroomException">The name is invalid or another student of the class has it.</exception>
    /// <exception cref="ClassroomAccessException">The student is not in one of this teacher's classes.</exception>
    Task RenameAsync(string teacherId, Guid studentId, string name, CancellationToken cancellationToken = default);

    /// <exception cref="ClassroomException">The PIN is not 4 to 8 digits.</exception>
    /// <exception cref="ClassroomAccessException">The student is not in one of this teacher's classes.</exception>
    Task ResetPinAsync(string teacherId, Guid studentId, string pin, CancellationToken cancellationToken = default);

    /// <summary>Removes the student, their project and their runs; publishes <see cref="Live.StudentChanged"/>.</summary>
    /// <exception cref="ClassroomAccessException">The student is not in one of this teacher's classes.</exception>
    Task RemoveAsync(string teacherId, Guid studentId, CancellationToken cancellationToken = default);
}
