using Bunit;
using Bunit.TestDoubles;
using CodeRunner.Classroom;
using CodeRunner.Engine;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Notebooks;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace CodeRunner.Tests.Web;

/// <summary>
/// The shared base of the component tests: MudBlazor's services with transitions off, loose JS interop (the JS
/// modules are the browser tests' business), a fake engine session and an in-memory browser storage.
/// </summary>
public abstract class WebTestBase : BunitContext, IAsyncLifetime
{
    protected WebTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(Options.Create(Limits));
        Services.AddSingleton(EngineSession);
        Services.AddSingleton(Engine);
        Services.AddSingleton<IExecutionEngine>(Engine);
        Services.AddSingleton<IWorkspaceStorage>(Storage);
        Services.AddScoped<CircuitSession>();
        Services.AddSingleton<StarterProject>();
        Services.AddScoped<WorkspaceStore>();
        Services.AddScoped<RunConsoles>();
        Services.AddScoped<OpenNotebooks>();

        // The classroom's services, on a SQLite file of this test's own (touched only by the tests that sign someone in).
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Path"] = DatabasePath }).Build());
        Services.AddClassroom();
        Services.AddExercisesWeb();
        Services.AddSingleton<LiveConsoles>();
        Services.AddScoped<ClassMember>();
        Services.AddScoped<ClassroomCircuit>();
        Services.AddScoped<BrowserWorkspaceStorage>();
        Authorization = AddAuthorization();
    }

    /// <summary>Who the circuit's user is: anonymous (the single-browser mode) unless a test signs a student or a teacher in.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>This test's classroom database.</summary>
    protected string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), "coderunner-tests", $"{Guid.NewGuid():N}", "coderunner.db");

    protected WorkspaceOptions Limits { get; } = new();
    protected FakeEngineSession EngineSession { get; } = new();
    protected FakeExecutionEngine Engine => _engine ??= new FakeExecutionEngine(EngineSession);
    protected InMemoryWorkspaceStorage Storage { get; } = new();
    protected WorkspaceStore Store => Services.GetRequiredService<WorkspaceStore>();
    protected StarterProject Starter => Services.GetRequiredService<StarterProject>();
    protected RunConsoles Consoles => Services.GetRequiredService<RunConsoles>();

    private FakeExecutionEngine? _engine;

    /// <summary>A loaded workspace holding exactly these files (an empty project when none are given).</summary>
    protected async Task<WorkspaceStore> LoadProjectAsync(params (string Path, string Text)[] files)
    {
        Storage.Stored = new StoredWorkspace(
            new WorkspaceManifest([.. files.Select(f => f.Path)], [], [], null, DarkMode: true),
            files.ToDictionary(f => f.Path, f => f.Text));
        await Store.LoadAsync();
        return Store;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>The circuit's services are async-disposable (like the engine session), so the context is disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(DatabasePath)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>MudBlazor's popovers (tooltips) render here, once <see cref="RenderProviders"/> ran.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>MudBlazor's dialogs render here, once <see cref="RenderProviders"/> ran.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>Renders MudBlazor's providers, which tooltips, dialogs and snackbars need.</summary>
    protected void RenderProviders()
    {
        Popovers = Render<MudPopoverProvider>();
        Dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
    }

    /// <summary>Polls a condition that no render announces (such as a debounced save).</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
