using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom.Projects;

/// <inheritdoc cref="IStudentProjects"/>
/// <remarks>
/// <see cref="SaveOutcome.Versions"/> holds the files this save wrote (and those it found already holding the tab's
/// text). A path that met a newer version is not in it: the tab must load the stored file, so that it never believes
/// its own text is the newer one.
/// </remarks>
internal sealed class StudentProjects(IDbContextFactory<ClassroomDb> factory, IClassroomEvents events, TimeProvider time,
    IOptions<ProjectLimits> limits, ILogger<StudentProjects> logger) : IStudentProjects
{
    public async Task<StoredProject> LoadAsync(Guid studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Students.AnyAsync(s => s.Id == studentId, cancellationToken))
        {
            throw new ClassroomAccessException();
        }

        return await ReadAsync(db, studentId, cancellationToken);
    }

    public async Task<StoredProject> LoadForTeacherAsync(string teacherId, Guid studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireStudentAsync(teacherId, studentId, cancellationToken);
        return await ReadAsync(db, studentId, cancellationToken);
    }

    public async Task<SaveOutcome> SaveAsync(Guid studentId, IReadOnlyList<FileSave> saves, IReadOnlyList<FileDelete> deletes,
        IReadOnlyList<string> emptyFolders, string origin, CancellationToken cancellationToken = default)
    {
        if (saves.Any(s => string.IsNullOrWhiteSpace(s.Path)) || deletes.Any(d => string.IsNullOrWhiteSpace(d.Path)))
        {
            throw new ArgumentException("Every file saved or deleted needs a path.", nameof(saves));
        }

        if (saves.Select(s => s.Path).Concat(deletes.Select(d => d.Path)).GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"'{twice.Key}' is named twice in one save.", nameof(saves));
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (classId, version) = await NextVersionAsync(db, studentId, cancellationToken);
        var save = new ProjectChange(db, studentId, version, time.Now(), limits.Value);
        await save.LoadAsync([.. saves.Select(s => s.Path), .. deletes.Select(d => d.Path)], cancellationToken);

        var deleted = new List<string>();
        var conflicts = new List<SaveConflict>();
        foreach (var delete in deletes)
        {
            switch (save.Delete(delete))
            {
                case true:
                    deleted.Add(delete.Path);
                    break;
                case false:
                    conflicts.Add(new SaveConflict(delete.Path, delete.Path));
                    break;
            }
        }

        var versions = new Dictionary<string, long>();
        foreach (var file in saves)
        {
            var (path, fileVersion) = save.Write(file, conflictNote: $"conflict {time.GetLocalNow():HH.mm}");
            versions[path] = fileVersion;
            if (path != file.Path)
            {
                conflicts.Add(new SaveConflict(file.Path, path));
            }
        }

        save.CheckLimits();
        await save.SetFoldersAsync(emptyFolders, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (conflicts.Count > 0)
        {
            Log.SaveConflicts(logger, studentId, conflicts.Count);
        }

        events.Publish(new ProjectSaved(classId, studentId, versions, deleted, origin));
        return new SaveOutcome(versions, conflicts);
    }

    public Task<HandoutOutcome> HandOutAsync(string teacherId, Guid classId, IReadOnlyList<(string Path, string Content)> files,
        CancellationToken cancellationToken = default) =>
        new Handouts(factory, events, time, limits.Value, logger).HandOutAsync(teacherId, classId, files, cancellationToken);

    public async Task ExportClassAsync(string teacherId, Guid classId, Stream output, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireClassAsync(teacherId, classId, cancellationToken);
        await ClassExport.WriteAsync(db, classId, output, cancellationToken);
    }

    /// <summary>
    /// Takes the student's next project version. This write comes first in the transaction: on PostgreSQL it locks the
    /// student's row, so two saves of one student take turns instead of both reading the same old version.
    /// </summary>
    internal static async Task<(Guid ClassId, long Version)> NextVersionAsync(ClassroomDb db, Guid studentId, CancellationToken cancellationToken)
    {
        var updated = await db.Students
            .Where(s => s.Id == studentId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<long>(x, ClassroomDb.ProjectVersion),
                x => EF.Property<long>(x, ClassroomDb.ProjectVersion) + 1), cancellationToken);
        if (updated == 0)
        {
            throw new ClassroomAccessException();
        }

        var student = await db.Students
            .Where(s => s.Id == studentId)
            .Select(s => new { s.ClassId, Version = EF.Property<long>(s, ClassroomDb.ProjectVersion) })
            .SingleAsync(cancellationToken);
        return (student.ClassId, student.Version);
    }

    private static async Task<StoredProject> ReadAsync(ClassroomDb db, Guid studentId, CancellationToken cancellationToken)
    {
        var files = await db.ProjectFiles.AsNoTracking()
            .Where(f => f.StudentId == studentId)
            .Select(f => new StoredFile(f.Path, f.Content, f.Version, f.Data))
            .ToListAsync(cancellationToken);
        var folders = await db.ProjectFolders.AsNoTracking()
            .Where(f => f.StudentId == studentId)
            .Select(f => f.Path)
            .ToListAsync(cancellationToken);

        // Sorted here rather than in SQL, where the order would follow each database's collation.
        return new StoredProject([.. files.OrderBy(f => f.Path, StringComparer.Ordinal)], [.. folders.Order(StringComparer.Ordinal)]);
    }
}
