using CodeRunner.Classroom;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Engine;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>
/// Looking over a student's shoulder: their project as saved (which follows their typing within a second), read-only,
/// and the consoles of their open pages, live as they run.
/// </summary>
public sealed partial class StudentView : IAsyncDisposable
{
    private readonly JsAttachment _js = new();
    private readonly List<RunConsoles> _watched = [];
    private ElementReference _host;
    private Dictionary<string, string> _files = [];
    private List<RunConsole> _consoles = [];
    private RunConsole? _console;
    private string? _shown;
    private string? _name;
    private string? _problem;
    private string _teacherId = "";
    private IDisposable? _subscription;

    [Parameter] public Guid ClassId { get; set; }
    [Parameter] public Guid StudentId { get; set; }

    [Inject] private IStudentProjects Projects { get; set; } = default!;
    [Inject] private CodeRunner.Classroom.Classes.IClassService Classes { get; set; } = default!;
    [Inject] private IClassroomEvents Events { get; set; } = default!;
    [Inject] private LiveConsoles Live { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IExecutionEngine Engine { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User) ?? "";
        try
        {
            _name = (await Classes.StudentsAsync(_teacherId, ClassId)).FirstOrDefault(s => s.Id == StudentId)?.Name
                    ?? throw new ClassroomAccessException();
            await LoadProjectAsync();
        }
        catch (ClassroomAccessException ex)
        {
            _problem = ex.Message;
            return;
        }

        _subscription = Events.Subscribe(ClassId, OnClassEvent);
        Live.PagesChanged += OnPagesChanged;
        WatchConsoles();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _problem is null)
        {
            await _js.AttachAsync(JS, "./Components/Teaching/StudentView.razor.js", "create", _host, true);
            await ShowAsync(_shown ?? _files.Keys.Order(StringComparer.Ordinal).FirstOrDefault());
        }
    }

    private async Task LoadProjectAsync() =>
        _files = (await Projects.LoadForTeacherAsync(_teacherId, StudentId)).Files.ToDictionary(f => f.Path,
            f => f.Data is null ? f.Content : $"A binary file of {Project.Size(f.Data.Length)}: the class's zip holds it.", StringComparer.Ordinal);

    private async Task ShowAsync(string? path)
    {
        _shown = path;
        if (_js.Instance is { } editor && path is not null && _files.TryGetValue(path, out var text))
        {
            await editor.InvokeVoidAsync("show", path, text, EditorLanguage.For(Engine, path));
        }
    }

    private void OnClassEvent(ClassEvent classEvent)
    {
        if (classEvent is ProjectSaved { } saved && saved.StudentId == StudentId || classEvent is FilesHandedOut)
        {
            _ = InvokeAsync(async () =>
            {
                await LoadProjectAsync();
                await ShowAsync(_shown);
                StateHasChanged();
            });
        }
    }

    private void OnPagesChanged(Guid student)
    {
        if (student == StudentId)
        {
            _ = InvokeAsync(() =>
            {
                WatchConsoles();
                StateHasChanged();
            });
        }
    }

    /// <summary>Follows the consoles of every page the student has open: a new console appears here as it is made.</summary>
    private void WatchConsoles()
    {
        _watched.ForEach(c => c.Changed -= OnConsolesChanged);
        _watched.Clear();
        _watched.AddRange(Live.Of(StudentId));
        _watched.ForEach(c => c.Changed += OnConsolesChanged);
        _consoles = [.. _watched.SelectMany(c => c.Consoles)];
        _console = _watched.Select(c => c.Active).LastOrDefault(a => a is not null) ?? _consoles.LastOrDefault();
    }

    private void OnConsolesChanged() => _ = InvokeAsync(() =>
    {
        var following = _console is null || _console.IsRunning == false;
        _consoles = [.. _watched.SelectMany(c => c.Consoles)];
        if (following)
        {
            _console = _watched.Select(c => c.Active).LastOrDefault(a => a is not null) ?? _console;
        }

        StateHasChanged();
    });

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        Live.PagesChanged -= OnPagesChanged;
        _watched.ForEach(c => c.Changed -= OnConsolesChanged);
        await _js.DisposeAsync();
    }
}
