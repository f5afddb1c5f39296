using Microsoft.AspNetCore.Identity;

namespace CodeRunner.Classroom.Model;

/// <summary>A teacher's account (ASP.NET Core Identity): the password is kept only as Identity's hash.</summary>
public sealed class Teacher : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A class that students join with its code; it belongs to the teacher who made it.</summary>
public sealed class SchoolClass
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Eight characters of <see cref="Classes.JoinCodes.Alphabet"/>, unique on the server.</summary>
    public required string JoinCode { get; set; }

    public required string TeacherId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<Student> Students { get; } = [];
}

/// <summary>A student of one class, known by name within it and signed in with a PIN only they know.</summary>
public sealed class Student
{
    public Guid Id { get; set; }
    public Guid ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    public required string Name { get; set; }

    /// <summary>The name as compared: trimmed, spaces collapsed, upper case; unique within the class.</summary>
    public required string NormalizedName { get; set; }

    /// <summary>Identity's password hash of the PIN; the PIN itself is never kept.</summary>
    public required string PinHash { get; set; }

    public DateTimeOffset JoinedAt { get; set; }
}

/// <summary>One file of a student's project on the server, with a version that goes up with every save.</summary>
public sealed class ProjectFile
{
    public Guid StudentId { get; set; }
    public required string Path { get; set; }
    public required string Content { get; set; }

    /// <summary>A binary file's bytes (its <see cref="Content"/> is then empty); null for a text file.</summary>
    public byte[]? Data { get; set; }

    public long Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An empty folder of a student's project (folders with files need no row).</summary>
public sealed class ProjectFolder
{
    public Guid StudentId { get; set; }
    public required string Path { get; set; }
}

/// <summary>A file the teacher handed out to a class: every student has it, and students who join later get it too.</summary>
public sealed class Handout
{
    public Guid Id { get; set; }
    public Guid ClassId { get; set; }
    public required string Path { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A message from the teacher to the whole class.</summary>
public sealed class Broadcast
{
    public Guid Id { get; set; }
    public Guid ClassId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>A run a student made: which file, when, and how it ended (null while it runs).</summary>
public sealed class RunRecord
{
    public long Id { get; set; }
    public Guid StudentId { get; set; }
    public required string File { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>As the IDE's verdict says it: succeeded, failed, timed-out, out-of-memory, output-limit, stopped, compile-failed, error.</summary>
    public string? Outcome { get; set; }

    /// <summary>The verdict's one line, such as "exit code 0 · 0.05 s · CPU 0.04 s · 9 MB".</summary>
    public string? Summary { get; set; }
}

/// <summary>An exercise of a class: a statement, starter and solution files, and test cases; students see it once published.</summary>
public sealed class Exercise
{
    public Guid Id { get; set; }
    public Guid ClassId { get; set; }
    public required string Title { get; set; }

    /// <summary>Markdown, rendered sanitised by the web.</summary>
    public required string Statement { get; set; }

    public string? Language { get; set; }
    public required string EntryFile { get; set; }
    public DateTimeOffset? Deadline { get; set; }
    public bool Published { get; set; }

    /// <summary>The folder the starter files were handed out in when published ("" when they were in folders of their own).</summary>
    public string? Folder { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ExerciseFile> Files { get; } = [];
    public List<ExerciseCase> Cases { get; } = [];
}

/// <summary>What an exercise's file is for: handed out to students, or the teacher's reference solution.</summary>
public enum ExerciseFileRole { Starter, Solution }

/// <summary>A starter or solution file of an exercise.</summary>
public sealed class ExerciseFile
{
    public Guid ExerciseId { get; set; }
    public ExerciseFileRole Role { get; set; }
    public required string Path { get; set; }
    public required string Content { get; set; }
}

/// <summary>A test case of an exercise, numbered from 0 in the teacher's order.</summary>
public sealed class ExerciseCase
{
    public Guid ExerciseId { get; set; }
    public int Index { get; set; }
    public required string Name { get; set; }
    public required string Stdin { get; set; }
    public required string ExpectedOutput { get; set; }
    public Exercises.CaseComparison Comparison { get; set; }
    public double AbsoluteTolerance { get; set; }
    public double RelativeTolerance { get; set; }
    public int? TimeLimitMs { get; set; }
    public int? MemoryLimitMb { get; set; }
    public int Points { get; set; }
    public bool Visible { get; set; }
}

/// <summary>A student's submission to an exercise: the files as submitted, and how each case ended.</summary>
public sealed class Submission
{
    public Guid Id { get; set; }
    public Guid ExerciseId { get; set; }
    public Guid StudentId { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public bool Late { get; set; }
    public int Score { get; set; }
    public int MaxScore { get; set; }
    public List<SubmissionFile> Files { get; } = [];
    public List<SubmissionCase> Cases { get; } = [];
}

/// <summary>A file of a submission, as it was when submitted.</summary>
public sealed class SubmissionFile
{
    public Guid SubmissionId { get; set; }
    public required string Path { get; set; }
    public required string Content { get; set; }
}

/// <summary>How one case of a submission ended; a hidden case keeps no stdout or stderr.</summary>
public sealed class SubmissionCase
{
    public Guid SubmissionId { get; set; }
    public int Index { get; set; }
    public required string Name { get; set; }
    public required string Outcome { get; set; }
    public bool Visible { get; set; }
    public int Points { get; set; }
    public int Earned { get; set; }
    public string? Message { get; set; }
    public string? Stdout { get; set; }
    public string? Stderr { get; set; }
    public int TimeMs { get; set; }
    public long MemoryBytes { get; set; }
}
