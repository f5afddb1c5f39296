using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Projects;

/// <summary>Files the teacher hands out: into every student's project now, and into the project of each student who joins later.</summary>
internal sealed class Handouts(IDbContextFactory<ClassroomDb> factory, IClassroomEvents events, TimeProvider time,
    ProjectLimits limits, ILogger logger)
{
    public async Task<HandoutOutcome> HandOutAsync(string teacherId, Guid classId, IReadOnlyList<(string Path, string Content)> files,
        CancellationToken cancellationToken)
    {
        Check(files);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireClassAsync(teacherId, classId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.Now();

        // Every student's next version, taken first as in a save, so that a student's save and the hand-out take turns.
        await db.Students
            .Where(s => s.ClassId == classId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<long>(x, ClassroomDb.ProjectVersion),
                x => EF.Property<long>(x, ClassroomDb.ProjectVersion) + 1), cancellationToken);
        var students = await db.Students
            .Where(s => s.ClassId == classId)
            .Select(s => new { s.Id, Version = EF.Property<long>(s, ClassroomDb.ProjectVersion) })
            .ToListAsync(cancellationToken);

        db.Handouts.AddRange(files.Select(f => new Handout
        {
            Id = Guid.CreateVersion7(), ClassId = classId, Path = f.Path, Content = f.Content, CreatedAt = now,
        }));

        // Only the files that can be in the way: those at the handed-out paths, and earlier "from teacher" copies.
        var paths = files.Select(f => f.Path).ToList();
        var ids = students.Select(s => s.Id).ToList();
        var marker = $"({HandoutPlacement.Note}";
        var inTheWay = (await db.ProjectFiles
                .Where(f => ids.Contains(f.StudentId) && (paths.Contains(f.Path) || f.Path.Contains(marker)))
                .Select(f => new { f.StudentId, f.Path, f.Content })
                .ToListAsync(cancellationToken))
            .ToLookup(f => f.StudentId);

        var renamed = 0;
        foreach (var student in students)
        {
            var project = inTheWay[student.Id].ToDictionary(f => f.Path, f => f.Content);
            renamed += Place(db, student.Id, student.Version, now, files, project);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.HandedOut(logger, teacherId, classId, files.Count, students.Count, renamed);
        events.Publish(new FilesHandedOut(classId));
        return new HandoutOutcome(students.Count, renamed);
    }

    /// <summary>Puts everything the class was handed out, in order, into a new student's (empty) project.</summary>
    public static async Task GiveToNewStudentAsync(ClassroomDb db, Guid classId, Guid studentId, long version, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var handouts = await db.Handouts
            .Where(h => h.ClassId == classId)
            .OrderBy(h => h.CreatedAt).ThenBy(h => h.Path)
            .Select(h => new { h.Path, h.Content })
            .ToListAsync(cancellationToken);
        Place(db, studentId, version, now, [.. handouts.Select(h => (h.Path, h.Content))], []);
    }

    /// <summary>Adds the files to one project; returns how many took a "from teacher" name.</summary>
    private static int Place(ClassroomDb db, Guid studentId, long version, DateTimeOffset now,
        IReadOnlyList<(string Path, string Content)> files, Dictionary<string, string> project)
    {
        var renamed = 0;
        foreach (var (path, content) in files)
        {
            if (HandoutPlacement.PathFor(path, content, project) is not { } target)
            {
                continue;
            }

            renamed += target == path ? 0 : 1;
            project[target] = content;
            ProjectChange.AddFile(db, studentId, target, content, version, now);
        }

        return renamed;
    }

    private void Check(IReadOnlyList<(string Path, string Content)> files)
    {
        if (files.Count == 0)
        {
            throw new ClassroomException("Choose at least one file to hand out.");
        }

        if (files.GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ClassroomException($"'{twice.Key}' is handed out twice; hand out each file once.");
        }

        if (files.Any(f => string.IsNullOrWhiteSpace(f.Path)))
        {
            throw new ClassroomException("Every file handed out needs a name.");
        }

        foreach (var (path, content) in files)
        {
            if (Sizes.Of(content) > limits.MaxFileBytes)
            {
                throw new ClassroomException(
                    $"Nothing was handed out: '{path}' is {Sizes.Format(Sizes.Of(content))}; the file size limit is {Sizes.Format(limits.MaxFileBytes)} per file.");
            }
        }

        if (files.Count > limits.MaxFiles || files.Sum(f => Sizes.Of(f.Content)) > limits.MaxTotalBytes)
        {
            throw new ClassroomException(
                $"Nothing was handed out: a project holds at most {limits.MaxFiles} files and {Sizes.Format(limits.MaxTotalBytes)}.");
        }
    }
}
