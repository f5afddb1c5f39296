using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// The workspace storage of one circuit: the browser's in the single-browser mode, the server's for a student of a
/// class. Which one is known only once the circuit's user is, so the choice is made at the first load.
/// </summary>
public sealed class CircuitWorkspaceStorage(ClassMember member, BrowserWorkspaceStorage browser, IStudentProjects projects,
    IClassroomEvents events) : IWorkspaceStorage, IDisposable
{
    private IWorkspaceStorage? _chosen;

    public event Action<RemoteChange>? RemoteChanged;

    /// <summary>True once loaded for a student of a class.</summary>
    public bool IsServer => _chosen is ServerWorkspaceStorage;

    public async Task<StoredWorkspace?> LoadAsync(long maxFileBytes)
    {
        if (_chosen is null)
        {
            if (await member.GetAsync() is { } student)
            {
                var server = new ServerWorkspaceStorage(student, projects, events, browser);
                server.RemoteChanged += change => RemoteChanged?.Invoke(change);
                _chosen = server;
            }
            else
            {
                await browser.UseScopeAsync(null);
                _chosen = browser;
            }
        }

        return await _chosen.LoadAsync(maxFileBytes);
    }

    public Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
        IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed) =>
        (_chosen ?? throw new InvalidOperationException("The workspace is saved before it was loaded.")).SaveAsync(manifest, changed, binaries, removed);

    public void Dispose() => (_chosen as IDisposable)?.Dispose();
}
