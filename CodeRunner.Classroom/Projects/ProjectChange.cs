using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Classroom.Projects;

/// <summary>
/// One save of one student's project, inside its transaction: what is stored, what this save changes, and whether the
/// result stays within the limits. Nothing reaches the database until the caller saves and commits.
/// </summary>
internal sealed class ProjectChange(ClassroomDb db, Guid studentId, long version, DateTimeOffset now, ProjectLimits limits)
{
    private Dictionary<string, long> _sizes = [];
    private Dictionary<string, ProjectFile> _stored = [];
    private readonly List<ProjectFile> _written = [];
    private int _filesBefore;
    private long _bytesBefore;

    /// <summary>Reads the size of every file, and the files at <paramref name="paths"/> whole.</summary>
    public async Task LoadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        _sizes = await db.ProjectFiles
            .Where(f => f.StudentId == studentId)
            .Select(f => new { f.Path, Bytes = EF.Property<long>(f, ClassroomDb.FileBytes) })
            .ToDictionaryAsync(f => f.Path, f => f.Bytes, cancellationToken);
        _filesBefore = _sizes.Count;
        _bytesBefore = _sizes.Values.Sum();
        _stored = paths.Count == 0 ? [] : await db.ProjectFiles
            .Where(f => f.StudentId == studentId && paths.Contains(f.Path))
            .ToDictionaryAsync(f => f.Path, cancellationToken);
    }

    /// <summary>Deletes the file: true when deleted, false when the stored file is newer than the tab saw (it stays), null when there is none.</summary>
    public bool? Delete(FileDelete delete)
    {
        if (!_stored.Remove(delete.Path, out var stored))
        {
            return null;
        }

        if (stored.Version != delete.BaseVersion)
        {
            _stored[delete.Path] = stored;
            return false;
        }

        db.ProjectFiles.Remove(stored);
        _sizes.Remove(delete.Path);
        return true;
    }

    /// <summary>
    /// Writes the file, or beside it (under a name with <paramref name="conflictNote"/>) when the stored one is newer
    /// than the tab saw and says something else. Returns where the tab's text is now, and its version.
    /// </summary>
    public (string Path, long Version) Write(FileSave save, string conflictNote)
    {
        if (!_stored.TryGetValue(save.Path, out var stored))
        {
            Add(save.Path, save.Content, save.Data);
            return (save.Path, version);
        }

        if (stored.Version == save.BaseVersion)
        {
            stored.Content = save.Content;
            stored.Data = save.Data;
            stored.Version = version;
            stored.UpdatedAt = now;
            SetBytes(stored);
            return (save.Path, version);
        }

        if (stored.Content == save.Content && SameData(stored.Data, save.Data))
        {
            return (save.Path, stored.Version);
        }

        var keptAs = SiblingNames.First(save.Path, conflictNote, path => !_sizes.ContainsKey(path));
        Add(keptAs, save.Content, save.Data);
        return (keptAs, version);
    }

    /// <exception cref="ClassroomException">A written file is too large, or the project would grow past a limit.</exception>
    public void CheckLimits()
    {
        if (_written.FirstOrDefault(f => _sizes[f.Path] > limits.MaxFileBytes) is { } large)
        {
            throw Refused($"'{Name(large.Path)}' is {Sizes.Format(_sizes[large.Path])}; the file size limit is {Sizes.Format(limits.MaxFileBytes)} per file.");
        }

        // A project already past a limit (the limits were lowered) may still be saved, as long as it does not grow.
        if (_sizes.Count > limits.MaxFiles && _sizes.Count > _filesBefore)
        {
            throw Refused($"That would make {_sizes.Count} files; the file count limit is {limits.MaxFiles} files per project.");
        }

        var bytes = _sizes.Values.Sum();
        if (bytes > limits.MaxTotalBytes && bytes > _bytesBefore)
        {
            throw Refused($"That would make the project {Sizes.Format(bytes)}; the total size limit is {Sizes.Format(limits.MaxTotalBytes)} per project.");
        }
    }

    /// <summary>Makes the stored empty folders exactly <paramref name="folders"/>.</summary>
    public async Task SetFoldersAsync(IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        var wanted = folders.ToHashSet(StringComparer.Ordinal);
        var stored = await db.ProjectFolders.Where(f => f.StudentId == studentId).ToListAsync(cancellationToken);
        db.ProjectFolders.RemoveRange(stored.Where(f => !wanted.Contains(f.Path)));
        wanted.ExceptWith(stored.Select(f => f.Path));
        db.ProjectFolders.AddRange(wanted.Select(path => new ProjectFolder { StudentId = studentId, Path = path }));
    }

    /// <summary>Adds a new file to a project; its size is kept beside it for the limits.</summary>
    public static ProjectFile AddFile(ClassroomDb db, Guid studentId, string path, string content, long version, DateTimeOffset now,
        byte[]? data = null)
    {
        var file = new ProjectFile { StudentId = studentId, Path = path, Content = content, Data = data, Version = version, UpdatedAt = now };
        db.ProjectFiles.Add(file);
        db.Entry(file).Property<long>(ClassroomDb.FileBytes).CurrentValue = Sizes.Of(content, data);
        return file;
    }

    private void Add(string path, string content, byte[]? data)
    {
        var file = AddFile(db, studentId, path, content, version, now, data);
        _stored[path] = file;
        _sizes[path] = Sizes.Of(content, data);
        _written.Add(file);
    }

    private static bool SameData(byte[]? stored, byte[]? saved) =>
        stored is null ? saved is null : saved is not null && stored.AsSpan().SequenceEqual(saved);

    private void SetBytes(ProjectFile file)
    {
        var bytes = Sizes.Of(file.Content, file.Data);
        db.Entry(file).Property<long>(ClassroomDb.FileBytes).CurrentValue = bytes;
        _sizes[file.Path] = bytes;
        _written.Add(file);
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static ClassroomException Refused(string why) => new($"Nothing was saved: {why}");
}
