using CodeRunner.Engine.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Runs;

/// <summary>
/// The circuit's consoles, one per run target, and the run mode. Starting a file runs the whole project with that
/// file as the entry, in its own console; several consoles can run at once.
/// </summary>
public sealed class RunConsoles(CircuitSession session, WorkspaceStore store, ILogger<RunConsoles> logger) : IDisposable
{
    private readonly List<RunConsole> _consoles = [];

    public IReadOnlyList<RunConsole> Consoles => _consoles;

    public RunConsole? Active { get; private set; }

    public RunMode Mode { get; private set; } = RunMode.Fast;

    /// <summary>A console was added, removed or activated, a run started or ended, or the mode changed.</summary>
    public event Action? Changed;

    /// <summary>A run started in a console (not raised for a run that could not start).</summary>
    public event Action<RunConsole, IRunHandle>? RunStarted;

    public void SetMode(RunMode mode)
    {
        Mode = mode;
        Changed?.Invoke();
    }

    /// <summary>Runs the project with <paramref name="entryFile"/> as its entry, in that file's console.</summary>
    public async Task<RunConsole> StartAsync(string entryFile)
    {
        var console = _consoles.FirstOrDefault(c => c.Path == entryFile);
        if (console is null)
        {
            console = new RunConsole(entryFile);
            console.RunStateChanged += OnRunStateChanged;
            _consoles.Add(console);
        }

        Active = console;
        var header = Mode == RunMode.Network
            ? $"▶ {entryFile} · network mode (the session's first network run takes a second or two longer)"
            : $"▶ {entryFile}";
        try
        {
            var request = new RunRequest
            {
                Files = FilesOf(store.Project),
                EntryFile = entryFile,
                Mode = Mode,
            };
            var run = await session.Session.StartRunAsync(request);
            console.Attach(run, Mode, header);
            Log.RunStarted(logger, entryFile, run.Id, Mode);
            RunStarted?.Invoke(console, run);
        }
        catch (Exception ex) when (ex is InvalidRunRequestException or RuntimeUnavailableException or NetworkModeUnavailableException)
        {
            console.Fail(header, ex.Message);
        }
        catch (Exception ex)
        {
            // Anything else the engine throws must not end the circuit: show it, and log it for the teacher.
            Log.RunFailedToStart(logger, entryFile, ex);
            console.Fail(header, $"The run could not start: {ex.Message}");
        }

        Changed?.Invoke();
        return console;
    }

    public void Activate(RunConsole console)
    {
        Active = console;
        Changed?.Invoke();
    }

    public void Close(RunConsole console)
    {
        var index = _consoles.IndexOf(console);
        if (index < 0)
        {
            return;
        }

        console.RunStateChanged -= OnRunStateChanged;
        console.Dispose();
        _consoles.RemoveAt(index);
        if (Active == console)
        {
            Active = _consoles.Count == 0 ? null : _consoles[Math.Min(index, _consoles.Count - 1)];
        }

        Changed?.Invoke();
    }

    private void OnRunStateChanged(RunConsole console) => Changed?.Invoke();

    public void Dispose()
    {
        foreach (var console in _consoles)
        {
            console.Dispose();
        }
    }

    /// <summary>What a run is given: every file of the project, text as UTF-8 and binary files byte for byte.</summary>
    public static List<SourceFile> FilesOf(Project project) =>
        project.Paths.Select(path => new SourceFile(path, project.ContentOf(path)!.Value.ToBytes())).ToList();
}
