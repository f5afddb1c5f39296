using CodeRunner.Classroom.Projects;

namespace CodeRunner.Classroom.Exercises;

/// <summary>How a case's output is compared with the expected output; stored by name.</summary>
public enum CaseComparison { TrimTrailing, Exact, Tokens, Numbers, Regex }

/// <summary>A test case as the teacher writes it: input, expected output, how to compare, limits and points.</summary>
public sealed record CaseDraft(string Name, string Stdin, string ExpectedOutput, CaseComparison Comparison = CaseComparison.TrimTrailing,
    double AbsoluteTolerance = 1e-6, double RelativeTolerance = 1e-6, int? TimeLimitMs = null, int? MemoryLimitMb = null,
    int Points = 1, bool Visible = true);

/// <summary>Everything a teacher writes of an exercise; the statement is Markdown.</summary>
public sealed record ExerciseDraft(string Title, string Statement, string? Language, string EntryFile, DateTimeOffset? Deadline,
    IReadOnlyList<(string Path, string Content)> StarterFiles, IReadOnlyList<(string Path, string Content)> SolutionFiles,
    IReadOnlyList<CaseDraft> Cases);

/// <summary>An exercise as a list shows it.</summary>
public sealed record ExerciseSummary(Guid Id, string Title, bool Published, DateTimeOffset? Deadline, int Cases, int Points);

/// <summary>An exercise as its teacher edits it: everything.</summary>
public sealed record ExerciseDetail(Guid Id, Guid ClassId, bool Published, ExerciseDraft Draft);

/// <summary>A case as a student sees it: a hidden case has no input or expected output (null).</summary>
public sealed record StudentCase(int Index, string Name, bool Visible, int Points, string? Stdin, string? ExpectedOutput);

/// <summary>A published exercise as a student sees it.</summary>
public sealed record StudentExercise(Guid Id, string Title, string Statement, string? Language, string EntryFile,
    DateTimeOffset? Deadline, int Points, IReadOnlyList<StudentCase> Cases);

/// <summary>
/// How one case of a submission ended: <see cref="Outcome"/> is passed, wrong-answer, time-limit, memory-limit,
/// runtime-error, output-limit, compile-error or internal-error.
/// </summary>
public sealed record CaseResultRecord(int Index, string Name, string Outcome, bool Visible, int Points, int Earned,
    string? Message, string? Stdout, string? Stderr, int TimeMs, long MemoryBytes);

/// <summary>A submission as lists show it.</summary>
public sealed record SubmissionSummary(Guid Id, Guid ExerciseId, Guid StudentId, DateTimeOffset SubmittedAt, bool Late, int Score, int MaxScore);

/// <summary>A submission as its teacher opens it: the files and each case's result.</summary>
public sealed record SubmissionDetail(SubmissionSummary Summary, string StudentName, string ExerciseTitle,
    IReadOnlyList<(string Path, string Content)> Files, IReadOnlyList<CaseResultRecord> Results);

/// <summary>One student's standing in one exercise (no attempts: <see cref="BestScore"/> is null).</summary>
public sealed record GradebookCell(Guid ExerciseId, int? BestScore, int MaxScore, int Attempts, DateTimeOffset? LastSubmittedAt,
    Guid? BestSubmissionId, bool LastLate);

/// <summary>A student's row of the gradebook, a cell per exercise in the order of <see cref="Gradebook.Exercises"/>.</summary>
public sealed record GradebookRow(Guid StudentId, string StudentName, IReadOnlyList<GradebookCell> Cells);

/// <summary>A class's students by its exercises.</summary>
public sealed record Gradebook(IReadOnlyList<ExerciseSummary> Exercises, IReadOnlyList<GradebookRow> Rows);

/// <summary>
/// What an exercise may hold beyond <see cref="ExerciseRules"/>: the project limits its starter and solution files obey,
/// the languages this server runs (an empty list accepts any), and the path rules (the engine's, given by the host,
/// since the classroom does not reference the engine): null for a good path, else a sentence saying what to change.
/// </summary>
public sealed record ExerciseLimits(ProjectLimits Project, IReadOnlyCollection<string> KnownLanguages, Func<string, string?> PathProblem);

/// <summary>
/// The host's part of <see cref="ExerciseLimits"/> for <see cref="IExerciseService"/>: the languages it runs and its path
/// rules. The web sets them from the engine; without <see cref="PathProblem"/> the service refuses to start.
/// </summary>
public sealed class ExerciseOptions
{
    public IReadOnlyCollection<string> KnownLanguages { get; set; } = [];
    public Func<string, string?>? PathProblem { get; set; }
}

/// <summary>
/// Exercises of a class: authoring, publishing, what students see and submit, and the gradebook. Every method that
/// takes a teacher's id checks that the class is that teacher's and throws <see cref="ClassroomAccessException"/>
/// otherwise, whatever id was guessed; a student's method does the same for an exercise not published in their class.
/// </summary>
public interface IExerciseService
{
    /// <exception cref="ClassroomException">The draft breaks a rule; the message names the field or case.</exception>
    Task<ExerciseSummary> CreateAsync(string teacherId, Guid classId, ExerciseDraft draft, CancellationToken ct = default);

    /// <summary>Reads an exercise zip (<see cref="ExerciseFolder"/>, from a seekable stream) with this server's limits, and makes it a draft of the class.</summary>
    /// <exception cref="ExerciseFormatException">The zip is not an exercise, or breaks a rule; nothing was stored.</exception>
    Task<ExerciseSummary> ImportAsync(string teacherId, Guid classId, Stream zip, CancellationToken ct = default);

    /// <summary>Replaces the whole exercise with the draft; submissions made so far are kept.</summary>
    Task<ExerciseSummary> UpdateAsync(string teacherId, Guid exerciseId, ExerciseDraft draft, CancellationToken ct = default);

    /// <summary>Deletes the exercise with its submissions.</summary>
    Task DeleteAsync(string teacherId, Guid exerciseId, CancellationToken ct = default);

    Task<IReadOnlyList<ExerciseSummary>> ListAsync(string teacherId, Guid classId, CancellationToken ct = default);

    Task<ExerciseDetail> GetAsync(string teacherId, Guid exerciseId, CancellationToken ct = default);

    /// <summary>
    /// Marks the exercise published and hands its starter files out (<see cref="IStudentProjects.HandOutAsync"/>), in a
    /// folder named after the exercise unless they already are in a folder; publishes <see cref="Live.ExercisesChanged"/>.
    /// </summary>
    Task<HandoutOutcome> PublishAsync(string teacherId, Guid exerciseId, CancellationToken ct = default);

    /// <summary>The published exercises of the student's class only; hidden cases carry no input or expected output.</summary>
    Task<IReadOnlyList<StudentExercise>> ListForStudentAsync(Guid studentId, CancellationToken ct = default);

    /// <summary>The cases to run, for the server only (never sent to a browser).</summary>
    /// <exception cref="ClassroomAccessException">The exercise is not published in the student's class.</exception>
    Task<IReadOnlyList<CaseDraft>> CasesForRunAsync(Guid studentId, Guid exerciseId, bool includeHidden, CancellationToken ct = default);

    /// <summary>
    /// Stores the files and results; the score is the sum of <see cref="CaseResultRecord.Earned"/>, and the submission is
    /// late when made after the deadline. A hidden case's stdout and stderr are not stored.
    /// </summary>
    Task<SubmissionSummary> RecordSubmissionAsync(Guid studentId, Guid exerciseId, IReadOnlyList<(string Path, string Content)> files,
        IReadOnlyList<CaseResultRecord> results, CancellationToken ct = default);

    /// <summary>The student's own submissions to the exercise, newest first.</summary>
    Task<IReadOnlyList<SubmissionSummary>> SubmissionsForStudentAsync(Guid studentId, Guid exerciseId, CancellationToken ct = default);

    Task<Gradebook> GradebookAsync(string teacherId, Guid classId, CancellationToken ct = default);

    Task<SubmissionDetail> GetSubmissionAsync(string teacherId, Guid submissionId, CancellationToken ct = default);
}
