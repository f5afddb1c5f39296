using System.Text;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// A student's project: text files and binary files by path, and the folders between them. A path names one file,
/// text or binary. Every change is checked against the limits (which count each file's bytes) first and refused as a
/// whole with a <see cref="WorkspaceException"/> naming the limit.
/// </summary>
public sealed class Project(WorkspaceOptions limits)
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _binaries = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _folders = new(StringComparer.Ordinal);
    private long _totalBytes;

    public WorkspaceOptions Limits { get; } = limits;

    /// <summary>The text files: what the editor edits.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>The binary files (images, data, PDFs): previewed, downloaded, run with, never edited.</summary>
    public IReadOnlyDictionary<string, byte[]> Binaries => _binaries;

    /// <summary>Every file's path, text or binary, in order.</summary>
    public IEnumerable<string> Paths => _files.Keys.Concat(_binaries.Keys).Order(StringComparer.Ordinal);

    public int FileCount => _files.Count + _binaries.Count;

    /// <summary>Every folder, including the ones only implied by a file's path.</summary>
    public IReadOnlyCollection<string> Folders => _folders;

    public long TotalBytes => _totalBytes;

    public bool IsFile(string path) => _files.ContainsKey(path) || _binaries.ContainsKey(path);

    public bool IsBinary(string path) => _binaries.ContainsKey(path);

    /// <summary>The file's content, text or bytes; null when there is no such file.</summary>
    public FileContent? ContentOf(string path) =>
        _files.TryGetValue(path, out var text) ? FileContent.FromText(text)
        : _binaries.TryGetValue(path, out var bytes) ? FileContent.FromBytes(bytes)
        : null;

    public bool IsFolder(string path) => _folders.Contains(path);

    public bool Exists(string path) => IsFile(path) || IsFolder(path);

    public string CreateFile(string path, string content = "")
    {
        path = ProjectPath.Normalize(path);
        EnsureFree(path);
        CheckFileSize(path, Bytes(content));
        CheckCount(FileCount + 1);
        CheckTotal(_totalBytes + Bytes(content));
        AddFile(path, FileContent.FromText(content));
        return path;
    }

    public string CreateFolder(string path)
    {
        path = ProjectPath.Normalize(path);
        EnsureFree(path);
        AddFolder(path);
        return path;
    }

    public void SetContent(string path, string content)
    {
        if (!_files.TryGetValue(path, out var old))
        {
            throw new WorkspaceException(IsBinary(path) ? $"'{path}' is a binary file; it cannot be edited as text." : $"The file '{path}' no longer exists.");
        }

        CheckFileSize(path, Bytes(content));
        CheckTotal(_totalBytes - Bytes(old) + Bytes(content));
        _files[path] = content;
        _totalBytes += Bytes(content) - Bytes(old);
    }

    /// <summary>Renames or moves a file or a folder with everything in it; returns each old path with its new one.</summary>
    public IReadOnlyList<(string From, string To)> Rename(string path, string newPath)
    {
        newPath = ProjectPath.Normalize(newPath);
        if (!Exists(path))
        {
            throw new WorkspaceException($"'{path}' no longer exists.");
        }

        if (newPath == path)
        {
            return [];
        }

        if (ProjectPath.IsInside(newPath, path))
        {
            throw new WorkspaceException($"The folder '{path}' cannot be moved into itself.");
        }

        EnsureFree(newPath);
        var moved = Affected(path).Select(p => (From: p, To: newPath + p[path.Length..])).ToList();
        var movedFolders = _folders.Where(f => f == path || ProjectPath.IsInside(f, path)).ToList();
        foreach (var folder in movedFolders)
        {
            _folders.Remove(folder);
        }

        foreach (var folder in movedFolders)
        {
            AddFolder(newPath + folder[path.Length..]);
        }

        foreach (var (from, to) in moved)
        {
            var content = ContentOf(from)!.Value;
            RemoveFile(from);
            AddFile(to, content);
        }

        return moved;
    }

    /// <summary>Deletes a file, or a folder with everything in it; returns the files that were deleted.</summary>
    public IReadOnlyList<string> Delete(string path)
    {
        var files = Affected(path).ToList();
        foreach (var file in files)
        {
            RemoveFile(file);
        }

        _folders.RemoveWhere(f => f == path || ProjectPath.IsInside(f, path));
        return files;
    }

    /// <inheritdoc cref="Import(IEnumerable{ValueTuple{string, FileContent}}, IEnumerable{string}?)"/>
    public IReadOnlyList<string> Import(IEnumerable<(string Path, string Content)> files, IEnumerable<string>? folders = null) =>
        Import(files.Select(f => (f.Path, FileContent.FromText(f.Content))), folders);

    /// <summary>
    /// Adds or replaces many files at once (an upload or a zip), text or binary; nothing changes unless all of them fit.
    /// A file may change kind (a text file replaced by bytes of the same name).
    /// </summary>
    public IReadOnlyList<string> Import(IEnumerable<(string Path, FileContent Content)> files, IEnumerable<string>? folders = null)
    {
        var incoming = new Dictionary<string, FileContent>(StringComparer.Ordinal);
        foreach (var (rawPath, content) in files)
        {
            var path = ProjectPath.Normalize(rawPath);
            if (IsFolder(path) || ProjectPath.Ancestors(path).Any(IsFile))
            {
                throw new WorkspaceException($"'{path}' clashes with a file or folder of the same name in the project.");
            }

            CheckFileSize(path, content.Length);
            incoming[path] = content;
        }

        var newFolders = (folders ?? []).Select(ProjectPath.Normalize).ToList();
        CheckCount(FileCount + incoming.Keys.Count(p => !IsFile(p)));
        CheckTotal(_totalBytes + incoming.Sum(kv => kv.Value.Length - (ContentOf(kv.Key)?.Length ?? 0)));
        foreach (var folder in newFolders.Where(f => !IsFile(f)))
        {
            AddFolder(folder);
        }

        foreach (var (path, content) in incoming)
        {
            if (IsFile(path))
            {
                RemoveFile(path);
            }

            AddFile(path, content);
        }

        return incoming.Keys.ToList();
    }

    public void Clear()
    {
        _files.Clear();
        _binaries.Clear();
        _folders.Clear();
        _totalBytes = 0;
    }

    public static long Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private IEnumerable<string> Affected(string path) =>
        Paths.Where(f => f == path || ProjectPath.IsInside(f, path)).ToList();

    private void AddFile(string path, FileContent content)
    {
        foreach (var folder in ProjectPath.Ancestors(path))
        {
            _folders.Add(folder);
        }

        if (content.Bytes is { } bytes)
        {
            _binaries[path] = bytes;
        }
        else
        {
            _files[path] = content.Text!;
        }

        _totalBytes += content.Length;
    }

    private void RemoveFile(string path)
    {
        _totalBytes -= ContentOf(path)!.Value.Length;
        _files.Remove(path);
        _binaries.Remove(path);
    }

    private void AddFolder(string path)
    {
        foreach (var folder in ProjectPath.Ancestors(path))
        {
            _folders.Add(folder);
        }

        _folders.Add(path);
    }

    private void EnsureFree(string path)
    {
        if (Exists(path))
        {
            throw new WorkspaceException($"'{path}' already exists.");
        }

        if (ProjectPath.Ancestors(path).FirstOrDefault(IsFile) is { } file)
        {
            throw new WorkspaceException($"'{file}' is a file, so it cannot hold '{ProjectPath.Name(path)}'.");
        }
    }

    private void CheckFileSize(string path, long bytes)
    {
        if (bytes > Limits.MaxFileBytes)
        {
            throw new WorkspaceException(
                $"'{ProjectPath.Name(path)}' is {Size(bytes)}; the file size limit is {Size(Limits.MaxFileBytes)} per file.");
        }
    }

    private void CheckCount(int count)
    {
        if (count > Limits.MaxFiles)
        {
            throw new WorkspaceException($"That would make {count} files; the file count limit is {Limits.MaxFiles} files per project.");
        }
    }

    private void CheckTotal(long total)
    {
        if (total > Limits.MaxTotalBytes)
        {
            throw new WorkspaceException($"That would make the project {Size(total)}; the total size limit is {Size(Limits.MaxTotalBytes)} per project.");
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024.0):0.#} MB",
    };
}
