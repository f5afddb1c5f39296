using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

public sealed class WorkspaceStoreTests : WebTestBase
{
    [Fact]
    public async Task FirstVisit_StarterProject_HasEveryLanguageInputAndANetworkPair()
    {
        await Store.LoadAsync();

        var extensions = Store.Project.Files.Keys.Select(Path.GetExtension).ToHashSet();
        Assert.Superset(new HashSet<string?> { ".py", ".js", ".c", ".cpp", ".java" }, extensions);
        Assert.Contains("input(", Store.Project.Files["python/ask_name.py"]);
        Assert.Contains("127.0.0.1", Store.Project.Files["network/server.py"]);
        Assert.Contains("127.0.0.1", Store.Project.Files["network/client.py"]);
        Assert.Equal(StarterProject.FirstFile, Store.ActiveFile);
    }

    [Fact]
    public async Task FirstVisit_Welcome_ListsEveryLanguageTheEngineRunsAndWhereItsExamplesAre()
    {
        await Store.LoadAsync();

        var welcome = Store.Project.Files[StarterProject.FirstFile];
        Assert.All(Engine.Languages, l => Assert.Contains(l.DisplayName, welcome));
        Assert.Contains("**C (gcc)**: `.c` files, examples in `c/`", welcome);
    }

    [Fact]
    public async Task Save_ThenLoadInANewCircuit_SameFilesTabsAndActiveFile()
    {
        await Store.LoadAsync();
        Store.CreateFile("src", "app.py");
        Store.UpdateContent("src/app.py", "print('saved')\n");
        Store.Open("python/hello.py");
        await Store.SaveAsync();

        var again = new WorkspaceStore(Storage, Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()), Starter);
        await again.LoadAsync();

        Assert.Equal(Store.Project.Files, again.Project.Files);
        Assert.Equal(Store.OpenTabs, again.OpenTabs);
        Assert.Equal("python/hello.py", again.ActiveFile);
    }

    [Fact]
    public async Task Delete_OpenFile_ClosesItsTabAndRemovesItFromStorage()
    {
        await LoadProjectAsync(("a.py", "1"), ("b.py", "2"));
        Store.Open("a.py");
        Store.Open("b.py");

        Store.Delete("b.py");
        await Store.SaveAsync();

        Assert.Equal(["a.py"], Store.OpenTabs);
        Assert.Equal("a.py", Store.ActiveFile);
        Assert.False(Storage.Stored!.Files.ContainsKey("b.py"));
    }

    [Fact]
    public async Task Change_WhileASaveIsUnderway_IsSavedToo()
    {
        var storage = new GatedStorage();
        var store = new WorkspaceStore(storage, Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()), Starter);
        await store.LoadAsync(); // first visit: schedules the starter project's save
        await WaitUntilAsync(() => storage.Waiting, "the first save is underway");

        store.CreateFile(null, "late.py");
        storage.Release();

        await WaitUntilAsync(() => storage.Saved.Contains("late.py"), "the file made during the save is saved");
    }

    /// <summary>Storage whose first save waits until the test releases it.</summary>
    [Fact]
    public async Task FilesChangedElsewhere_AreTaken_ButNotOverWhatThisTabChangedSince()
    {
        await LoadProjectAsync(("mine.py", "1"), ("theirs.py", "1"), ("gone.py", "x"));
        Store.Open("gone.py");
        Store.UpdateContent("mine.py", "typed here"); // not saved yet
        var replaced = new List<string>();
        Store.FilesReplaced += paths => replaced.AddRange(paths);
        string? notice = null;
        Store.Notice += n => notice = n;

        Storage.Arrive(new RemoteChange(
            new Dictionary<string, string> { ["mine.py"] = "from the other tab", ["theirs.py"] = "2", ["handout/task.py"] = "task" },
            ["gone.py"], "Your teacher handed out files: they are in your project."));

        Assert.Equal("typed here", Store.Project.Files["mine.py"]);
        Assert.Equal("2", Store.Project.Files["theirs.py"]);
        Assert.Equal("task", Store.Project.Files["handout/task.py"]);
        Assert.False(Store.Project.IsFile("gone.py"));
        Assert.DoesNotContain("gone.py", Store.OpenTabs);
        Assert.Equal(["theirs.py", "handout/task.py"], replaced);
        Assert.Equal("Your teacher handed out files: they are in your project.", notice);
    }

    [Fact]
    public async Task FilesChangedElsewhere_RunOnThePagesDispatcher()
    {
        await LoadProjectAsync(("a.py", "1"));
        var dispatched = 0;
        Store.Dispatch = work =>
        {
            dispatched++;
            work();
            return Task.CompletedTask;
        };

        Storage.Arrive(new RemoteChange(new Dictionary<string, string> { ["a.py"] = "2" }, [], null));

        Assert.Equal(1, dispatched);
        Assert.Equal("2", Store.Project.Files["a.py"]);
    }

    private sealed class GatedStorage : IWorkspaceStorage
    {
        event Action<RemoteChange>? IWorkspaceStorage.RemoteChanged { add { } remove { } }

        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Waiting { get; private set; }
        public HashSet<string> Saved { get; } = [];

        public Task<StoredWorkspace?> LoadAsync(long maxFileBytes) => Task.FromResult<StoredWorkspace?>(null);

        public void Release() => _gate.TrySetResult();

        public async Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
            IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed)
        {
            Waiting = true;
            await _gate.Task;
            Saved.UnionWith(changed.Keys);
            return null;
        }
    }

    [Fact]
    public async Task Load_StoredProjectUnreadable_StarterProjectAndAProblemShown()
    {
        var store = new WorkspaceStore(new BrokenStorage(), Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()), Starter);

        await store.LoadAsync();

        Assert.StartsWith("The project saved in this browser could not be read", store.StorageProblem);
        Assert.True(store.Project.IsFile(StarterProject.FirstFile));
    }

    [Fact]
    public async Task Load_StoredProjectUnreadable_NeverOverwritesIt()
    {
        var storage = new BrokenStorage();
        var store = new WorkspaceStore(storage, Microsoft.Extensions.Options.Options.Create(new WorkspaceOptions()), Starter);
        await store.LoadAsync();

        store.CreateFile(null, "new.py");
        await store.SaveAsync();
        await Task.Delay(500); // past the save delay

        Assert.Equal(0, storage.Saves);
        Assert.Contains("not kept in this browser", store.StorageProblem);
    }

    [Fact]
    public async Task Load_AFileOverTheLimits_LoadsTheRestAndNamesIt_WithoutOverwriting()
    {
        Storage.Stored = new StoredWorkspace(
            new WorkspaceManifest(["ok.py", "big.py"], [], ["ok.py"], "ok.py", DarkMode: true),
            new Dictionary<string, string> { ["ok.py"] = "print(1)", ["big.py"] = new string('x', 2 * 1024 * 1024) });

        await Store.LoadAsync();
        Store.UpdateContent("ok.py", "print(2)");
        await Store.SaveAsync();

        Assert.True(Store.Project.IsFile("ok.py"));
        Assert.False(Store.Project.IsFile("big.py"));
        Assert.Contains("'big.py'", Store.StorageProblem);
        Assert.Equal(0, Storage.Saves);
        Assert.Equal(2 * 1024 * 1024, Storage.Stored.Files["big.py"].Length);
    }

    [Fact]
    public async Task Load_Drafts_ReplaceTheSavedTextAndAreSaved()
    {
        Storage.Stored = new StoredWorkspace(
            new WorkspaceManifest(["a.py", "b.py"], [], ["a.py"], "a.py", DarkMode: true),
            new Dictionary<string, string> { ["a.py"] = "old", ["b.py"] = "same" },
            new Dictionary<string, string> { ["a.py"] = "typed just before the reload", ["b.py"] = "same" });

        await Store.LoadAsync();
        await Store.SaveAsync();

        Assert.Equal("typed just before the reload", Store.Project.Files["a.py"]);
        Assert.Equal("typed just before the reload", Storage.Stored.Files["a.py"]);
        Assert.Null(Store.StorageProblem);
    }

    [Fact]
    public async Task Load_Twice_TabsAndEditsKept()
    {
        await LoadProjectAsync(("a.py", "1"));
        Store.Open("a.py");
        Store.UpdateContent("a.py", "edited, not saved yet");

        await Store.LoadAsync(); // the IDE made again after an error

        Assert.Equal(["a.py"], Store.OpenTabs);
        Assert.Equal("edited, not saved yet", Store.Project.Files["a.py"]);
    }

    private sealed class BrokenStorage : IWorkspaceStorage
    {
        event Action<RemoteChange>? IWorkspaceStorage.RemoteChanged { add { } remove { } }

        public int Saves { get; private set; }

        public Task<StoredWorkspace?> LoadAsync(long maxFileBytes) => throw new System.Text.Json.JsonException("unexpected end of data");

        public Task<string?> SaveAsync(WorkspaceManifest manifest, IReadOnlyDictionary<string, string> changed,
            IReadOnlyDictionary<string, byte[]> binaries, IReadOnlyCollection<string> removed)
        {
            Saves++;
            return Task.FromResult<string?>(null);
        }
    }
}
