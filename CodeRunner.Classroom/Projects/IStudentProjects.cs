namespace CodeRunner.Classroom.Projects;

/// <summary>
/// A file as stored, with the version it has now (every save of it makes a new one): its text, or for a binary file
/// its bytes in <see cref="Data"/> (and an empty text).
/// </summary>
public sealed record StoredFile(string Path, string Content, long Version, byte[]? Data = null);

/// <summary>A student's whole project as stored.</summary>
public sealed record StoredProject(IReadOnlyList<StoredFile> Files, IReadOnlyList<string> EmptyFolders);

/// <summary>
/// A file to save: its text (or, for a binary file, its bytes in <see cref="Data"/>), and the version the tab last
/// loaded or saved (0 for a file the tab made).
/// </summary>
public sealed record FileSave(string Path, string Content, long BaseVersion, byte[]? Data = null);

/// <summary>A file to delete, and the version the tab last saw of it.</summary>
public sealed record FileDelete(string Path, long BaseVersion);

/// <summary>
/// A save that met a newer version: the stored file was left as it is, and the tab's text was stored beside it as
/// <see cref="KeptAs"/>, so that nothing is lost either way.
/// </summary>
public sealed record SaveConflict(string Path, string KeptAs);

/// <summary>The versions the saved files have now, and the conflicts; both also go to the student's other tabs.</summary>
public sealed record SaveOutcome(IReadOnlyDictionary<string, long> Versions, IReadOnlyList<SaveConflict> Conflicts);

/// <summary>What a hand-out did: how many students got the files, and the files that took another name because a student had their own.</summary>
public sealed record HandoutOutcome(int Students, int Renamed);

/// <summary>
/// Students' projects on the server. A save is one transaction (all of it, or nothing), so that a server that is killed
/// never leaves a project half-written, and a save based on an older version never replaces a newer one.
/// </summary>
public interface IStudentProjects
{
    Task<StoredProject> LoadAsync(Guid studentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves and deletes files and sets the empty folders, in one transaction, then publishes
    /// <see cref="Live.ProjectSaved"/> with <paramref name="origin"/> (the tab that saved, which ignores its own echo).
    /// </summary>
    /// <exception cref="ClassroomException">The project would go over the limits (files, bytes); nothing was saved.</exception>
    Task<SaveOutcome> SaveAsync(Guid studentId, IReadOnlyList<FileSave> saves, IReadOnlyList<FileDelete> deletes,
        IReadOnlyList<string> emptyFolders, string origin, CancellationToken cancellationToken = default);

    /// <summary>A student's project for their teacher's read-only view.</summary>
    /// <exception cref="ClassroomAccessException">The student is not in one of this teacher's classes.</exception>
    Task<StoredProject> LoadForTeacherAsync(string teacherId, Guid studentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the files to every student's project and keeps them for students who join later. A student's own file
    /// with the same path is never overwritten: the handed-out copy is named after where it came from, such as
    /// <c>task (from teacher).py</c>. Publishes <see cref="Live.FilesHandedOut"/>.
    /// </summary>
    Task<HandoutOutcome> HandOutAsync(string teacherId, Guid classId, IReadOnlyList<(string Path, string Content)> files,
        CancellationToken cancellationToken = default);

    /// <summary>Writes a zip of the class's projects, a folder per student named after them, to <paramref name="output"/>.</summary>
    Task ExportClassAsync(string teacherId, Guid classId, Stream output, CancellationToken cancellationToken = default);
}
