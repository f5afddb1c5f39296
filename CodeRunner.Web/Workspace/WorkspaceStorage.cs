namespace CodeRunner.Web.Workspace;

/// <summary>What is kept between visits besides the files' content: the paths (text and binary), the open tabs and the theme.</summary>
public sealed record WorkspaceManifest(
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Folders,
    IReadOnlyList<string> OpenTabs,
    string? ActiveFile,
    bool DarkMode);

/// <summary>
/// A stored workspace: the manifest, every text file's text and every binary file's bytes, and the editor's drafts:
/// text typed that the server had not saved yet when the page went away (a reload, a lost connection).
/// </summary>
public sealed record StoredWorkspace(WorkspaceManifest Manifest, Dictionary<string, string> Files, Dictionary<string, string>? Drafts = null)
{
    public Dictionary<string, byte[]>? Binaries { get; init; }
}

/// <summary>
/// Files that changed somewhere else (another tab, a hand-out, a save that met a newer version): the project takes
/// them, except files this tab changed since (its own save then meets the newer version, and nothing is lost).
/// <see cref="Notice"/> is a sentence for the student, when there is something to tell.
/// </summary>
public sealed record RemoteChange(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Removed, string? Notice)
{
    /// <summary>Binary files that changed elsewhere, taken as <see cref="Files"/> are.</summary>
    public IReadOnlyDictionary<string, byte[]> Binaries { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>
    /// The page says which files (and removals) it took: only those now count as seen. A file it kept because this tab
    /// changed it since stays based on what it was, so that its save meets the newer version instead of replacing it.
    /// </summary>
    public Action<IReadOnlyCollection<string>> Taken { get; init; } = _ => { };
}

/// <summary>Where the workspace is kept between visits: the browser's localStorage, or the server for a student of a class.</summary>
public interface IWorkspaceStorage
{
    /// <summary>Raised on any thread when files changed somewhere else; never raised by storage that only this tab writes.</summary>
    event Action<RemoteChange>? RemoteChanged;

    /// <summary>The stored workspace, or null on a first visit; drafts larger than <paramref name="maxFileBytes"/> are dropped.</summary>
    Task<StoredWorkspace?> LoadAsync(long maxFileBytes);

    /// <summary>Writes the changed files (text and binary), removes deleted ones and replaces the manifest; returns a problem or null.</summary>
    Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed, IReadOnlyDictionary<string, byte[]> binaries,
        IReadOnlyCollection<string> removed);
}
