using System.Text;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// A student's project: text files by path and the folders between them. Every change is checked against the
/// limits first and refused as a whole with a <see cref="WorkspaceException"/> naming the limit.
/// </summary>
public sealed class Project(WorkspaceOptions limits)
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _folders = new(StringComparer.Ordinal);
    private long _totalBytes;

    public WorkspaceOptions Limits { get; } = limits;

    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Every folder, including the ones only implied by a file's path.</summary>
    public IReadOnlyCollection<string> Folders => _folders;

    public long TotalBytes => _totalBytes;

    public bool IsFile(string path) => _files.ContainsKey(path);

    public bool IsFolder(string path) => _folders.Contains(path);

    public bool Exists(string path) => IsFile(path) || IsFolder(path);

    public string CreateFile(string path, string content = "")
    {
        path = ProjectPath.Normalize(path);
        EnsureFree(path);
        CheckFileSize(path, content);
        CheckCount(_files.Count + 1);
        CheckTotal(_totalBytes + Bytes(content));
        AddFile(path, content);
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
            throw new WorkspaceException($"The file '{path}' no longer exists.");
        }

        CheckFileSize(path, content);
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
            var content = _files[from];
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

    /// <summary>Adds or replaces many files at once (an upload or a zip); nothing changes unless all of them fit.</summary>
    public IReadOnlyList<string> Import(IEnumerable<(string Path, string Content)> files, IEnumerable<string>? folders = null)
    {
        var incoming = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawPath, content) in files)
        {
            var path = ProjectPath.Normalize(rawPath);
            if (IsFolder(path) || ProjectPath.Ancestors(path).Any(IsFile))
            {
                throw new WorkspaceException($"'{path}' clashes with a file or folder of the same name in the project.");
            }

            CheckFileSize(path, content);
            incoming[path] = content;
        }

        var newFolders = (folders ?? []).Select(ProjectPath.Normalize).ToList();
        CheckCount(_files.Count + incoming.Keys.Count(p => !IsFile(p)));
        CheckTotal(_totalBytes + incoming.Sum(kv => Bytes(kv.Value) - (_files.TryGetValue(kv.Key, out var old) ? Bytes(old) : 0)));
        foreach (var folder in newFolders.Where(f => !IsFile(f)))
        {
            AddFolder(folder);
        }

        foreach (var (path, content) in incoming)
        {
            if (_files.TryGetValue(path, out var old))
            {
                _totalBytes -= Bytes(old);
                _files.Remove(path);
            }

            AddFile(path, content);
        }

        return incoming.Keys.ToList();
    }

    public void Clear()
    {
        _files.Clear();
        _folders.Clear();
        _totalBytes = 0;
    }

    public static long Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private IEnumerable<string> Affected(string path) =>
        _files.Keys.Where(f => f == path || ProjectPath.IsInside(f, path)).ToList();

    private void AddFile(string path, string content)
    {
        foreach (var folder in ProjectPath.Ancestors(path))
        {
            _folders.Add(folder);
        }

        _files[path] = content;
        _totalBytes += Bytes(content);
    }

    private void RemoveFile(string path)
    {
        _totalBytes -= Bytes(_files[path]);
        _files.Remove(path);
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

    private void CheckFileSize(string path, string content)
    {
        var bytes = Bytes(content);
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
