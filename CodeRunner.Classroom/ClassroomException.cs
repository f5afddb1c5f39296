namespace CodeRunner.Classroom;

/// <summary>What was asked cannot be done as it is; the message says why in a sentence a teacher or student can act on.</summary>
public class ClassroomException(string message) : Exception(message);

/// <summary>The class, student or project is not the caller's: the same answer whether it exists or not.</summary>
public sealed class ClassroomAccessException() : ClassroomException("That class or student is not yours, or no longer exists.");

/// <summary>An exercise zip that cannot be imported; the message names the file or case and what to change.</summary>
public sealed class ExerciseFormatException(string message) : ClassroomException(message);
