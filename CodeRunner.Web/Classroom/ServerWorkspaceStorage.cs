using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// A class student's workspace: the files on the server, each saved with the version this tab last had, so that a
/// save never replaces a newer one unseen; the tabs, the theme and the drafts in the student's own scope of the
/// browser. Saves of the student's other tabs and the teacher's hand-outs arrive as <see cref="RemoteChanged"/>.
/// </summary>
public sealed class ServerWorkspaceStorage : IWorkspaceStorage, IDisposable
{
    private readonly StudentIdentity _student;
    private readonly IStudentProjects _projects;
    private readonly BrowserWorkspaceStorage _browser;
    private readonly IDisposable _subscription;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    /// <summary>This tab, as the origin of its saves: it ignores the echo of its own.</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");

    public ServerWorkspaceStorage(StudentIdentity student, IStudentProjects projects, IClassroomEvents events, BrowserWorkspaceStorage browser)
    {
        _student = student;
        _projects = projects;
        _browser = browser;
        _subscription = events.Subscribe(student.ClassId, OnClassEvent);
    }

    /// <summary>The scope of the browser's storage that holds this student's tabs and drafts.</summary>
    public static string ScopeOf(Guid studentId) => $"class.{studentId:N}";

    public event Action<RemoteChange>? RemoteChanged;

    public async Task<StoredWorkspace?> LoadAsync(long maxFileBytes)
    {
        await _browser.UseScopeAsync(ScopeOf(_student.StudentId));
        StoredProject project;
        await _gate.WaitAsync();
        try
        {
            project = await _projects.LoadAsync(_student.StudentId);
            lock (_versions)
            {
                _versions.Clear();
                foreach (var file in project.Files)
                {
                    _versions[file.Path] = file.Version;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (project.Files.Count == 0 && project.EmptyFolders.Count == 0)
        {
            return null; // a new student without hand-outs starts from the starter project, as a first visit does
        }

        var files = project.Files.Where(f => f.Data is null).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var binaries = project.Files.Where(f => f.Data is not null).ToDictionary(f => f.Path, f => f.Data!, StringComparer.Ordinal);
        var paths = project.Files.Select(f => f.Path).ToList();
        var local = await _browser.LoadLocalStateAsync(maxFileBytes, files.Keys);

        // On a computer the student has not used yet, a file is open, so that the editor shows their work at once.
        var first = files.Keys.Order(StringComparer.Ordinal).OrderBy(p => p != StarterProject.FirstFile).FirstOrDefault();
        var manifest = local.Manifest is { } kept
            ? new WorkspaceManifest(paths, [.. project.EmptyFolders], kept.OpenTabs, kept.ActiveFile, kept.DarkMode)
            : new WorkspaceManifest(paths, [.. project.EmptyFolders], first is null ? [] : [first], first, DarkMode: true);
        return new StoredWorkspace(manifest, files, local.Drafts) { Binaries = binaries };
    }

    public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed)
    {
        SaveOutcome outcome;
        await _gate.WaitAsync();
        try
        {
            List<FileSave> saves;
            List<FileDelete> deletes;
            lock (_versions)
            {
                saves = changed.Select(c => new FileSave(c.Key, c.Value, _versions.GetValueOrDefault(c.Key)))
                    .Concat(binaries.Select(b => new FileSave(b.Key, "", _versions.GetValueOrDefault(b.Key), b.Value)))
                    .ToList();
                deletes = removed.Where(_versions.ContainsKey).Select(r => new FileDelete(r, _versions[r])).ToList();
            }

            var emptyFolders = manifest.Folders.Where(f => !manifest.Files.Any(p => ProjectPath.IsInside(p, f))
                && !manifest.Folders.Any(other => ProjectPath.IsInside(other, f))).ToList();
            try
            {
                outcome = await _projects.SaveAsync(_student.StudentId, saves, deletes, emptyFolders, _origin);
            }
            catch (ClassroomException ex)
            {
                return ex.Message;
            }

            lock (_versions)
            {
                foreach (var (path, version) in outcome.Versions)
                {
                    _versions[path] = version;
                }

                foreach (var delete in deletes.Where(d => outcome.Conflicts.All(c => c.Path != d.Path)))
                {
                    _versions.Remove(delete.Path);
                }
            }
        }
        catch (Exception ex) when (ex is not ClassroomException and not OperationCanceledException)
        {
            return $"The server could not save your latest changes ({ex.Message}); they are kept in this tab and saved with the next change.";
        }
        finally
        {
            _gate.Release();
        }

        await _browser.SaveLocalStateAsync(manifest, changed.Where(c => outcome.Versions.ContainsKey(c.Key)).ToDictionary());
        if (outcome.Conflicts.Count > 0)
        {
            // The server kept the newer text and stored this tab's beside it: the project shows both.
            var kept = string.Join("; ", outcome.Conflicts.Select(c => $"'{c.Path}' (yours is now '{c.KeptAs}')"));
            await RefreshAsync($"Another tab or computer changed {kept} after this tab loaded it: both versions are kept.",
                outcome.Conflicts.SelectMany(c => new[] { c.Path, c.KeptAs }).ToHashSet(StringComparer.Ordinal));
        }

        return null;
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        var refresh = classEvent switch
        {
            ProjectSaved saved => saved.StudentId == _student.StudentId && saved.Origin != _origin,
            FilesHandedOut => true,
            _ => false,
        };
        if (refresh)
        {
            _ = RefreshAsync(classEvent is FilesHandedOut ? "Your teacher handed out files: they are in your project." : null, null);
        }
    }

    /// <summary>
    /// Reads the project again and hands what differs from what this tab last had to the page. A file's version moves
    /// on only once the page says it took the file: one it kept (the student changed it here since) stays based on the
    /// version it had, so that its next save meets the newer one and both are kept.
    /// </summary>
    /// <param name="forced">Files to hand over even if their version did not change (those of a conflict).</param>
    private async Task RefreshAsync(string? notice, IReadOnlySet<string>? forced)
    {
        try
        {
            StoredProject project;
            await _gate.WaitAsync();
            try
            {
                project = await _projects.LoadAsync(_student.StudentId);
            }
            finally
            {
                _gate.Release();
            }

            List<StoredFile> arrived;
            List<string> removed;
            var versions = project.Files.ToDictionary(f => f.Path, f => f.Version, StringComparer.Ordinal);
            lock (_versions)
            {
                arrived = project.Files
                    .Where(f => forced?.Contains(f.Path) == true || !_versions.TryGetValue(f.Path, out var v) || v != f.Version)
                    .ToList();
                removed = _versions.Keys.Where(p => !versions.ContainsKey(p)).ToList();
            }

            if (arrived.Count > 0 || removed.Count > 0 || notice is not null)
            {
                var texts = arrived.Where(f => f.Data is null).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
                var binaries = arrived.Where(f => f.Data is not null).ToDictionary(f => f.Path, f => f.Data!, StringComparer.Ordinal);
                RemoteChanged?.Invoke(new RemoteChange(texts, removed, notice) { Binaries = binaries, Taken = taken => Took(taken, versions) });
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RemoteChanged?.Invoke(new RemoteChange(new Dictionary<string, string>(), [],
                $"Changes made in another tab could not be loaded ({ex.Message}); reload the page to see them."));
        }
    }

    private void Took(IReadOnlyCollection<string> taken, Dictionary<string, long> versions)
    {
        lock (_versions)
        {
            foreach (var path in taken)
            {
                if (versions.TryGetValue(path, out var version))
                {
                    _versions[path] = version;
                }
                else
                {
                    _versions.Remove(path);
                }
            }
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _gate.Dispose();
    }
}
