using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// The circuit's project with its open tabs and active file, saved to <see cref="IWorkspaceStorage"/> shortly after
/// each change. Components call it from their event handlers and re-render on <see cref="Changed"/>.
/// </summary>
public sealed class WorkspaceStore
{
    private static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(300);

    private readonly IWorkspaceStorage _storage;
    private readonly StarterProject _starter;

    private readonly List<string> _openTabs = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private Task? _pendingSave;
    private bool _saveWanted;
    private string? _loadProblem;
    private string? _draftProblem;
    private string? _saveProblem;

    public WorkspaceStore(IWorkspaceStorage storage, IOptions<WorkspaceOptions> options, StarterProject starter)
    {
        _storage = storage;
        _starter = starter;
        Project = new Project(options.Value);
        storage.RemoteChanged += change => _ = (Dispatch?.Invoke(() => ApplyRemote(change)) ?? RunHere(() => ApplyRemote(change)));
    }

    public Project Project { get; }

    /// <summary>
    /// Runs work on the page's dispatcher: changes from elsewhere (another tab, a hand-out) arrive on any thread, and the
    /// project is only ever changed on the page's. The page sets it; without it they are applied where they arrive.
    /// </summary>
    public Func<Action, Task>? Dispatch { get; set; }

    /// <summary>Something the student should be told, such as "Your teacher handed out files".</summary>
    public event Action<string>? Notice;

    public IReadOnlyList<string> OpenTabs => _openTabs;

    public string? ActiveFile { get; private set; }

    public bool DarkMode { get; private set; } = true;

    public bool Loaded { get; private set; }

    /// <summary>
    /// Set when the saved project could not be read, the browser refused to keep the latest changes, or text typed just
    /// before the page was closed could not be put back.
    /// </summary>
    public string? StorageProblem => _loadProblem ?? _saveProblem ?? _draftProblem;

    /// <summary>Files, folders, tabs or the active file changed (not raised for typing in the editor).</summary>
    public event Action? Changed;

    /// <summary>Files whose text was replaced from outside the editor (an upload or a zip).</summary>
    public event Action<IReadOnlyCollection<string>>? FilesReplaced;

    /// <summary>Reads the workspace from the browser, once per circuit (a component made again finds it loaded).</summary>
    public async Task LoadAsync()
    {
        if (Loaded)
        {
            Changed?.Invoke();
            return;
        }

        StoredWorkspace? stored = null;
        try
        {
            stored = await _storage.LoadAsync(Project.Limits.MaxFileBytes);
        }
        catch (Exception ex) when (ex is Microsoft.JSInterop.JSException or System.Text.Json.JsonException or TaskCanceledException or FormatException)
        {
            _loadProblem = $"The project saved in this browser could not be read ({ex.Message}); the starter project is shown instead. "
                + KeptAsItWas;
        }

        if (stored is null)
        {
            _starter.Seed(Project);
            _changed.UnionWith(Project.Files.Keys);
            Open(StarterProject.FirstFile);
        }
        else
        {
            Restore(stored);
        }

        Loaded = true;
        if (_changed.Count > 0)
        {
            ScheduleSave(); // the starter project, so that another tab opens it too, or the drafts
        }

        Changed?.Invoke();
    }

    private void Restore(StoredWorkspace stored)
    {
        var manifest = stored.Manifest;
        var skipped = new List<string>();
        foreach (var folder in manifest.Folders)
        {
            TryRestore(() => Project.Import(Array.Empty<(string, FileContent)>(), [folder]), folder, skipped);
        }

        foreach (var (path, text) in stored.Files)
        {
            TryRestore(() => Project.Import([(path, text)]), path, skipped);
        }

        foreach (var (path, bytes) in stored.Binaries ?? [])
        {
            TryRestore(() => Project.Import([(path, FileContent.FromBytes(bytes))]), path, skipped);
        }

        if (skipped.Count > 0)
        {
            _loadProblem = "The saved project could not be loaded whole: " + string.Join("; ", skipped) + ". " + KeptAsItWas;
        }

        var lost = new List<string>();
        foreach (var (path, draft) in stored.Drafts ?? [])
        {
            if (!Project.Files.TryGetValue(path, out var saved) || saved == draft)
            {
                continue;
            }

            try
            {
                Project.SetContent(path, draft);
                _changed.Add(path);
            }
            catch (WorkspaceException ex)
            {
                lost.Add($"'{path}' ({ex.Message})");
            }
        }

        if (lost.Count > 0)
        {
            _draftProblem = "Text typed just before the page was last closed could not be restored for " + string.Join(", ", lost);
        }

        _openTabs.AddRange(manifest.OpenTabs.Where(Project.IsFile).Distinct());
        ActiveFile = manifest.ActiveFile is { } active && _openTabs.Contains(active) ? active : _openTabs.FirstOrDefault();
        DarkMode = manifest.DarkMode;
    }

    private const string KeptAsItWas =
        "Changes made now are not kept in this browser, so that the saved project stays as it was: download a zip to keep them.";

    private static void TryRestore(Action restore, string path, List<string> skipped)
    {
        try
        {
            restore();
        }
        catch (WorkspaceException ex)
        {
            skipped.Add($"'{path}' ({ex.Message})");
        }
    }

    /// <summary>
    /// Takes files that changed elsewhere, except those this tab changed since: its own save then meets the newer
    /// version on the server, which keeps both, and the next change from there shows them.
    /// </summary>
    public void ApplyRemote(RemoteChange change)
    {
        var replaced = new List<string>();
        var taken = new List<string>();
        var problems = new List<string>();
        var arrived = change.Files.Select(f => (f.Key, Content: FileContent.FromText(f.Value)))
            .Concat(change.Binaries.Select(f => (f.Key, Content: FileContent.FromBytes(f.Value))));
        foreach (var (path, content) in arrived.Where(f => !_changed.Contains(f.Key)))
        {
            try
            {
                if (Project.ContentOf(path) is not { } current || current != content)
                {
                    Project.Import([(path, content)]);
                    replaced.Add(path);
                }

                taken.Add(path);
            }
            catch (WorkspaceException ex)
            {
                problems.Add($"'{path}' ({ex.Message})");
            }
        }

        foreach (var path in change.Removed.Where(p => !_changed.Contains(p)))
        {
            if (Project.IsFile(path))
            {
                Project.Delete(path);
                CloseTab(path);
            }

            taken.Add(path);
        }

        change.Taken(taken);
        if (replaced.Count > 0)
        {
            FilesReplaced?.Invoke(replaced);
        }

        Changed?.Invoke();
        var notice = problems.Count > 0 ? $"{change.Notice} Some files could not be shown: {string.Join("; ", problems)}.".Trim() : change.Notice;
        if (notice is not null)
        {
            Notice?.Invoke(notice);
        }
    }

    private static Task RunHere(Action action)
    {
        action();
        return Task.CompletedTask;
    }

    public string CreateFile(string? folder, string name)
    {
        var path = Project.CreateFile(ProjectPath.Combine(folder, ProjectPath.Normalize(name)));
        _changed.Add(path);
        Open(path);
        return path;
    }

    public string CreateFolder(string? folder, string name)
    {
        var path = Project.CreateFolder(ProjectPath.Combine(folder, ProjectPath.Normalize(name)));
        Touch();
        return path;
    }

    public string Rename(string path, string newName)
    {
        var newPath = ProjectPath.Combine(ProjectPath.Parent(path), ProjectPath.Normalize(newName));
        foreach (var (from, to) in Project.Rename(path, newPath))
        {
            _removed.Add(from);
            _changed.Add(to);
            var tab = _openTabs.IndexOf(from);
            if (tab >= 0)
            {
                _openTabs[tab] = to;
            }

            if (ActiveFile == from)
            {
                ActiveFile = to;
            }
        }

        Touch();
        return newPath;
    }

    public void Delete(string path)
    {
        foreach (var file in Project.Delete(path))
        {
            _removed.Add(file);
            _changed.Remove(file);
            CloseTab(file);
        }

        Touch();
    }

    public IReadOnlyList<string> Import(IEnumerable<(string Path, string Content)> files, IEnumerable<string>? folders = null) =>
        Import(files.Select(f => (f.Path, FileContent.FromText(f.Content))), folders);

    /// <summary>Adds or replaces files, text or binary (an upload, a zip, a run's output); all of them, or none.</summary>
    public IReadOnlyList<string> Import(IEnumerable<(string Path, FileContent Content)> files, IEnumerable<string>? folders = null)
    {
        var paths = Project.Import(files, folders);
        _changed.UnionWith(paths);
        _removed.ExceptWith(paths);
        FilesReplaced?.Invoke(paths);
        Touch();
        return paths;
    }

    /// <summary>The editor's text for a file; throws when it is over a limit (the text then stays unsaved).</summary>
    public void UpdateContent(string path, string content)
    {
        if (Project.Files.TryGetValue(path, out var old) && old == content)
        {
            return;
        }

        Project.SetContent(path, content);
        _changed.Add(path);
        ScheduleSave();
    }

    public void Open(string path)
    {
        if (!Project.IsFile(path))
        {
            return;
        }

        if (!_openTabs.Contains(path))
        {
            _openTabs.Add(path);
        }

        ActiveFile = path;
        Touch();
    }

    public void CloseTab(string path)
    {
        var index = _openTabs.IndexOf(path);
        if (index < 0)
        {
            return;
        }

        _openTabs.RemoveAt(index);
        if (ActiveFile == path)
        {
            ActiveFile = _openTabs.Count == 0 ? null : _openTabs[Math.Min(index, _openTabs.Count - 1)];
        }

        Touch();
    }

    public void SetDarkMode(bool dark)
    {
        DarkMode = dark;
        Touch();
    }

    private void Touch()
    {
        ScheduleSave();
        Changed?.Invoke();
    }

    /// <summary>Not before the workspace is loaded, nor after a load problem: a save would overwrite what could not be loaded.</summary>
    private bool CanSave => Loaded && _loadProblem is null;

    private void ScheduleSave()
    {
        if (!CanSave)
        {
            return;
        }

        _saveWanted = true;
        if (_pendingSave is null or { IsCompleted: true })
        {
            _pendingSave = SaveLaterAsync();
        }
    }

    /// <summary>Saves shortly after a change, and again if more changed while it was saving.</summary>
    private async Task SaveLaterAsync()
    {
        while (_saveWanted)
        {
            _saveWanted = false;
            await Task.Delay(SaveDelay);
            await SaveAsync();
        }
    }

    /// <summary>Writes what changed since the last save (nothing after a load problem: see <see cref="CanSave"/>).</summary>
    public async Task SaveAsync()
    {
        if (!CanSave)
        {
            return;
        }

        var changed = _changed.Where(Project.Files.ContainsKey).ToDictionary(p => p, p => Project.Files[p], StringComparer.Ordinal);
        var binaries = _changed.Where(Project.IsBinary).ToDictionary(p => p, p => Project.Binaries[p], StringComparer.Ordinal);
        var removed = _removed.Where(p => !Project.IsFile(p)).ToList();
        _changed.Clear();
        _removed.Clear();
        var manifest = new WorkspaceManifest([.. Project.Paths], [.. Project.Folders], [.. _openTabs], ActiveFile, DarkMode);
        string? problem;
        try
        {
            problem = await _storage.SaveAsync(manifest, changed, binaries, removed);
        }
        catch (Exception ex) when (ex is Microsoft.JSInterop.JSException or Microsoft.JSInterop.JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            problem = "Saving in the browser failed: " + ex.Message;
        }

        if (problem is not null)
        {
            // Try them again with the next save.
            _changed.UnionWith(changed.Keys);
            _changed.UnionWith(binaries.Keys);
            _removed.UnionWith(removed);
        }

        if (problem != _saveProblem)
        {
            _saveProblem = problem;
            Changed?.Invoke();
        }
    }
}
