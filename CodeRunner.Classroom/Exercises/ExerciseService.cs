using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom.Exercises;

/// <inheritdoc cref="IExerciseService"/>
internal sealed class ExerciseService(IDbContextFactory<ClassroomDb> factory, IStudentProjects projects, IClassroomEvents events,
    TimeProvider time, IOptions<ExerciseOptions> options, IOptions<ProjectLimits> projectLimits, ILogger<ExerciseService> logger)
    : IExerciseService
{
    private ExerciseLimits Limits => new(projectLimits.Value, options.Value.KnownLanguages,
        options.Value.PathProblem ?? throw new InvalidOperationException(
            "ExerciseOptions.PathProblem is not set: the host must give the classroom its path rules (the engine's ProjectPathRules.Problem)."));

    public async Task<ExerciseSummary> CreateAsync(string teacherId, Guid classId, ExerciseDraft draft, CancellationToken ct = default)
    {
        draft = ExerciseRules.Check(draft, Limits);
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.RequireClassAsync(teacherId, classId, ct);
        var now = time.Now();
        var exercise = new Exercise
        {
            Id = Guid.CreateVersion7(), ClassId = classId, Title = draft.Title, Statement = draft.Statement, EntryFile = draft.EntryFile,
            CreatedAt = now,
        };
        Fill(exercise, draft, now);
        db.Exercises.Add(exercise);
        await db.SaveChangesAsync(ct);
        Log.ExerciseSaved(logger, teacherId, exercise.Id);
        return Summary(exercise);
    }

    public Task<ExerciseSummary> ImportAsync(string teacherId, Guid classId, Stream zip, CancellationToken ct = default) =>
        CreateAsync(teacherId, classId, ExerciseFolder.Read(zip, Limits), ct);

    public async Task<ExerciseSummary> UpdateAsync(string teacherId, Guid exerciseId, ExerciseDraft draft, CancellationToken ct = default)
    {
        draft = ExerciseRules.Check(draft, Limits);
        await using var db = await factory.CreateDbContextAsync(ct);
        var classId = await db.RequireExerciseAsync(teacherId, exerciseId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<ExerciseFile>().Where(f => f.ExerciseId == exerciseId).ExecuteDeleteAsync(ct);
        await db.Set<ExerciseCase>().Where(c => c.ExerciseId == exerciseId).ExecuteDeleteAsync(ct);
        var exercise = await db.Exercises.SingleAsync(e => e.Id == exerciseId, ct);
        Fill(exercise, draft, time.Now());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Log.ExerciseSaved(logger, teacherId, exerciseId);
        if (exercise.Published)
        {
            events.Publish(new ExercisesChanged(classId));
        }

        return Summary(exercise);
    }

    public async Task DeleteAsync(string teacherId, Guid exerciseId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var classId = await db.RequireExerciseAsync(teacherId, exerciseId, ct);

        // The database's cascades delete its files, cases and submissions with it.
        await db.Exercises.Where(e => e.Id == exerciseId).ExecuteDeleteAsync(ct);
        events.Publish(new ExercisesChanged(classId));
    }

    public async Task<IReadOnlyList<ExerciseSummary>> ListAsync(string teacherId, Guid classId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.RequireClassAsync(teacherId, classId, ct);
        return await SummariesAsync(db, classId, ct);
    }

    public async Task<ExerciseDetail> GetAsync(string teacherId, Guid exerciseId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.RequireExerciseAsync(teacherId, exerciseId, ct);
        var e = await LoadAsync(db, exerciseId, ct);
        List<(string, string)> FilesOf(ExerciseFileRole role) =>
            [.. e.Files.Where(f => f.Role == role).OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (f.Path, f.Content))];
        var draft = new ExerciseDraft(e.Title, e.Statement, e.Language, e.EntryFile, e.Deadline, FilesOf(ExerciseFileRole.Starter),
            FilesOf(ExerciseFileRole.Solution), [.. e.Cases.OrderBy(c => c.Index).Select(DraftOf)]);
        return new ExerciseDetail(e.Id, e.ClassId, e.Published, draft);
    }

    public async Task<HandoutOutcome> PublishAsync(string teacherId, Guid exerciseId, CancellationToken ct = default)
    {
        Exercise exercise;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await db.RequireExerciseAsync(teacherId, exerciseId, ct);
            exercise = await LoadAsync(db, exerciseId, ct);
        }

        var starter = exercise.Files.Where(f => f.Role == ExerciseFileRole.Starter).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var folder = exercise.Folder ?? (starter.All(f => f.Path.Contains('/')) ? "" : ExerciseSlug.Of(exercise.Title, Limits.PathProblem));
        var outcome = starter.Count == 0
            ? new HandoutOutcome(0, 0)
            : await projects.HandOutAsync(teacherId, exercise.ClassId, [.. starter.Select(f => (Within(folder, f.Path), f.Content))], ct);

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await db.Exercises.Where(e => e.Id == exerciseId)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.Published, true).SetProperty(x => x.Folder, folder), ct);
        }

        Log.ExercisePublished(logger, teacherId, exerciseId, outcome.Students);
        events.Publish(new ExercisesChanged(exercise.ClassId));
        return outcome;
    }

    public async Task<IReadOnlyList<StudentExercise>> ListForStudentAsync(Guid studentId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var classId = await StudentClassAsync(db, studentId, ct);
        // A hidden case's input and expected output are left in the database: they never reach this server's memory here.
        var exercises = await db.Exercises.AsNoTracking()
            .Where(e => e.ClassId == classId && e.Published)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new
            {
                e.Id, e.Title, e.Statement, e.Language, e.EntryFile, e.Folder, e.Deadline,
                Cases = e.Cases.OrderBy(c => c.Index).Select(c => new StudentCase(c.Index, c.Name, c.Visible, c.Points,
                    c.Visible ? c.Stdin : null, c.Visible ? c.ExpectedOutput : null)).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        return [.. exercises.Select(e => new StudentExercise(e.Id, e.Title, e.Statement, e.Language, Within(e.Folder ?? "", e.EntryFile),
            e.Deadline, e.Cases.Sum(c => c.Points), e.Cases))];
    }

    public async Task<IReadOnlyList<CaseDraft>> CasesForRunAsync(Guid studentId, Guid exerciseId, bool includeHidden, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await RequirePublishedAsync(db, studentId, exerciseId, ct);
        var cases = await db.Set<ExerciseCase>().AsNoTracking()
            .Where(c => c.ExerciseId == exerciseId && (includeHidden || c.Visible))
            .OrderBy(c => c.Index)
            .ToListAsync(ct);
        return [.. cases.Select(DraftOf)];
    }

    public async Task<SubmissionSummary> RecordSubmissionAsync(Guid studentId, Guid exerciseId, IReadOnlyList<(string Path, string Content)> files,
        IReadOnlyList<CaseResultRecord> results, CancellationToken ct = default)
    {
        if (files.GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"'{twice.Key}' is submitted twice.", nameof(files));
        }

        if (results.GroupBy(r => r.Index).FirstOrDefault(g => g.Count() > 1) is { } again)
        {
            throw new ArgumentException($"Case {again.Key} has two results.", nameof(results));
        }

        if (results.FirstOrDefault(r => r.Earned < 0 || r.Earned > r.Points) is { } wrong)
        {
            throw new ArgumentException($"Case {wrong.Index} earned {wrong.Earned} of {wrong.Points} points.", nameof(results));
        }

        var limits = projectLimits.Value;
        if (files.Count > limits.MaxFiles || files.Sum(f => Sizes.Of(f.Content)) > limits.MaxTotalBytes)
        {
            throw new ClassroomException(
                $"A submission holds at most {limits.MaxFiles} files and {Sizes.Format(limits.MaxTotalBytes)}, as a project does.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var (classId, deadline) = await RequirePublishedAsync(db, studentId, exerciseId, ct);
        var cases = await db.Set<ExerciseCase>().Where(c => c.ExerciseId == exerciseId)
            .Select(c => new { c.Index, c.Visible, c.Points })
            .ToDictionaryAsync(c => c.Index, ct);
        var now = time.Now();
        var submission = new Submission
        {
            Id = Guid.CreateVersion7(),
            ExerciseId = exerciseId,
            StudentId = studentId,
            SubmittedAt = now,
            Late = deadline is { } due && now > due,
            Score = results.Sum(r => r.Earned),
            MaxScore = cases.Values.Sum(c => c.Points),
        };
        submission.Files.AddRange(files.Select(f => new SubmissionFile { Path = f.Path, Content = f.Content }));
        foreach (var r in results)
        {
            // What the exercise says is hidden stays hidden, whatever the result claims.
            var visible = cases.TryGetValue(r.Index, out var c) ? c.Visible && r.Visible : false;
            submission.Cases.Add(new SubmissionCase
            {
                Index = r.Index, Name = r.Name, Outcome = r.Outcome, Visible = visible, Points = r.Points, Earned = r.Earned,
                Message = r.Message, Stdout = visible ? r.Stdout : null, Stderr = visible ? r.Stderr : null, TimeMs = r.TimeMs,
                MemoryBytes = r.MemoryBytes,
            });
        }

        db.Submissions.Add(submission);
        await db.SaveChangesAsync(ct);
        events.Publish(new SubmissionRecorded(classId, studentId, exerciseId));
        return SummaryOf(submission);
    }

    public async Task<IReadOnlyList<SubmissionSummary>> SubmissionsForStudentAsync(Guid studentId, Guid exerciseId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await RequirePublishedAsync(db, studentId, exerciseId, ct);
        var submissions = await db.Submissions.AsNoTracking()
            .Where(s => s.ExerciseId == exerciseId && s.StudentId == studentId)
            .ToListAsync(ct);
        return [.. submissions.OrderByDescending(s => s.SubmittedAt).ThenByDescending(s => s.Id).Select(SummaryOf)];
    }

    public async Task<Gradebook> GradebookAsync(string teacherId, Guid classId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.RequireClassAsync(teacherId, classId, ct);
        var exercises = await SummariesAsync(db, classId, ct);
        var students = await db.Students.Where(s => s.ClassId == classId)
            .Select(s => new { s.Id, s.Name, s.NormalizedName })
            .ToListAsync(ct);
        var submissions = (await db.Submissions.AsNoTracking()
                .Where(s => db.Exercises.Any(e => e.Id == s.ExerciseId && e.ClassId == classId))
                .ToListAsync(ct))
            .ToLookup(s => (s.StudentId, s.ExerciseId));

        GradebookCell Cell(Guid studentId, ExerciseSummary exercise)
        {
            var mine = submissions[(studentId, exercise.Id)].ToList();
            var best = mine.OrderByDescending(s => s.Score).ThenByDescending(s => s.SubmittedAt).FirstOrDefault();
            var last = mine.OrderByDescending(s => s.SubmittedAt).ThenByDescending(s => s.Id).FirstOrDefault();
            return new GradebookCell(exercise.Id, best?.Score, exercise.Points, mine.Count, last?.SubmittedAt, best?.Id, last?.Late ?? false);
        }

        return new Gradebook(exercises, [.. students.OrderBy(s => s.NormalizedName, StringComparer.Ordinal)
            .Select(s => new GradebookRow(s.Id, s.Name, [.. exercises.Select(e => Cell(s.Id, e))]))]);
    }

    public async Task<SubmissionDetail> GetSubmissionAsync(string teacherId, Guid submissionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await db.Submissions.AsNoTracking()
            .Where(s => s.Id == submissionId)
            .Select(s => new
            {
                Submission = s,
                Exercise = db.Exercises.Where(e => e.Id == s.ExerciseId && db.Classes.Any(c => c.Id == e.ClassId && c.TeacherId == teacherId))
                    .Select(e => e.Title).FirstOrDefault(),
                Student = db.Students.Where(st => st.Id == s.StudentId).Select(st => st.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (found is not { Exercise: { } title, Student: { } name })
        {
            throw new ClassroomAccessException();
        }

        var files = await db.Set<SubmissionFile>().AsNoTracking().Where(f => f.SubmissionId == submissionId).ToListAsync(ct);
        var cases = await db.Set<SubmissionCase>().AsNoTracking().Where(c => c.SubmissionId == submissionId).ToListAsync(ct);
        return new SubmissionDetail(SummaryOf(found.Submission), name, title,
            [.. files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (f.Path, f.Content))],
            [.. cases.OrderBy(c => c.Index).Select(c => new CaseResultRecord(c.Index, c.Name, c.Outcome, c.Visible, c.Points, c.Earned,
                c.Message, c.Stdout, c.Stderr, c.TimeMs, c.MemoryBytes))]);
    }

    /// <summary>Sets everything of the draft but the id and class; the files and cases are new rows.</summary>
    private static void Fill(Exercise exercise, ExerciseDraft draft, DateTimeOffset now)
    {
        exercise.Title = draft.Title;
        exercise.Statement = draft.Statement;
        exercise.Language = draft.Language;
        exercise.EntryFile = draft.EntryFile;
        exercise.Deadline = draft.Deadline;
        exercise.UpdatedAt = now;
        exercise.Files.Clear();
        exercise.Files.AddRange(draft.StarterFiles.Select(f => new ExerciseFile { ExerciseId = exercise.Id, Role = ExerciseFileRole.Starter, Path = f.Path, Content = f.Content }));
        exercise.Files.AddRange(draft.SolutionFiles.Select(f => new ExerciseFile { ExerciseId = exercise.Id, Role = ExerciseFileRole.Solution, Path = f.Path, Content = f.Content }));
        exercise.Cases.Clear();
        exercise.Cases.AddRange(draft.Cases.Select((c, i) => new ExerciseCase
        {
            ExerciseId = exercise.Id, Index = i, Name = c.Name, Stdin = c.Stdin, ExpectedOutput = c.ExpectedOutput, Comparison = c.Comparison,
            AbsoluteTolerance = c.AbsoluteTolerance, RelativeTolerance = c.RelativeTolerance, TimeLimitMs = c.TimeLimitMs,
            MemoryLimitMb = c.MemoryLimitMb, Points = c.Points, Visible = c.Visible,
        }));
    }

    private static ExerciseSummary Summary(Exercise e) =>
        new(e.Id, e.Title, e.Published, e.Deadline, e.Cases.Count, e.Cases.Sum(c => c.Points));

    private static CaseDraft DraftOf(ExerciseCase c) => new(c.Name, c.Stdin, c.ExpectedOutput, c.Comparison, c.AbsoluteTolerance,
        c.RelativeTolerance, c.TimeLimitMs, c.MemoryLimitMb, c.Points, c.Visible);

    private static SubmissionSummary SummaryOf(Submission s) =>
        new(s.Id, s.ExerciseId, s.StudentId, s.SubmittedAt, s.Late, s.Score, s.MaxScore);

    private static string Within(string folder, string path) => folder.Length == 0 ? path : $"{folder}/{path}";

    private static async Task<List<ExerciseSummary>> SummariesAsync(ClassroomDb db, Guid classId, CancellationToken ct) =>
        await db.Exercises
            .Where(e => e.ClassId == classId)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new ExerciseSummary(e.Id, e.Title, e.Published, e.Deadline, e.Cases.Count, e.Cases.Sum(c => c.Points)))
            .ToListAsync(ct);

    private static async Task<Exercise> LoadAsync(ClassroomDb db, Guid exerciseId, CancellationToken ct) =>
        await db.Exercises.AsNoTracking().Include(e => e.Files).Include(e => e.Cases).AsSplitQuery().SingleAsync(e => e.Id == exerciseId, ct);

    private static async Task<Guid> StudentClassAsync(ClassroomDb db, Guid studentId, CancellationToken ct)
    {
        var classIds = await db.Students.Where(s => s.Id == studentId).Select(s => s.ClassId).ToListAsync(ct);
        return classIds.Count == 1 ? classIds[0] : throw new ClassroomAccessException();
    }

    /// <summary>The exercise's class and deadline, when it is published in the student's class; the same exception otherwise.</summary>
    private static async Task<(Guid ClassId, DateTimeOffset? Deadline)> RequirePublishedAsync(ClassroomDb db, Guid studentId, Guid exerciseId,
        CancellationToken ct)
    {
        var found = await db.Exercises
            .Where(e => e.Id == exerciseId && e.Published && db.Students.Any(s => s.Id == studentId && s.ClassId == e.ClassId))
            .Select(e => new { e.ClassId, e.Deadline })
            .ToListAsync(ct);
        return found.Count == 1 ? (found[0].ClassId, found[0].Deadline) : throw new ClassroomAccessException();
    }
}
