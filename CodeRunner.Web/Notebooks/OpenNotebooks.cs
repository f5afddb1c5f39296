using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Notebooks;

/// <summary>
/// The circuit's open notebooks, one per notebook tab. A notebook closes (and its kernel with it) when its tab is
/// closed, or its file is deleted, renamed or moved; all close with the circuit.
/// </summary>
public sealed class OpenNotebooks : IAsyncDisposable
{
    private readonly Dictionary<string, OpenNotebook> _open = new(StringComparer.Ordinal);
    private readonly WorkspaceStore _store;
    private readonly CircuitSession _session;

    public OpenNotebooks(WorkspaceStore store, CircuitSession session)
    {
        _store = store;
        _session = session;
        _store.Changed += CloseGone;
        _store.FilesReplaced += Reload;
    }

    /// <summary>Whether a file opens as a notebook rather than in the editor.</summary>
    public static bool IsNotebook(string? path) => path?.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The open notebook of a tab, opened (and its kernel started) on first use.</summary>
    public OpenNotebook Get(string path)
    {
        if (!_open.TryGetValue(path, out var notebook))
        {
            notebook = new OpenNotebook(path, _store, _session);
            _open[path] = notebook;
            notebook.StartKernel();
        }

        return notebook;
    }

    /// <summary>Writes the typing every open notebook has not kept yet, as before a run or a download.</summary>
    public void Flush()
    {
        foreach (var notebook in _open.Values)
        {
            notebook.Flush();
        }
    }

    private void CloseGone()
    {
        foreach (var (path, notebook) in _open.Where(o => !_store.OpenTabs.Contains(o.Key) || !_store.Project.IsFile(o.Key)).ToList())
        {
            _open.Remove(path);
            _ = notebook.DisposeAsync().AsTask();
        }
    }

    private void Reload(IReadOnlyCollection<string> paths)
    {
        foreach (var path in paths)
        {
            if (_open.TryGetValue(path, out var notebook))
            {
                notebook.Reload();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _store.Changed -= CloseGone;
        _store.FilesReplaced -= Reload;
        foreach (var notebook in _open.Values)
        {
            await notebook.DisposeAsync();
        }

        _open.Clear();
    }
}
