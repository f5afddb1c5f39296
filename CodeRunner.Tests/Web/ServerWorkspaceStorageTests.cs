using CodeRunner.Classroom.Accounts;
using CodeRunner.Tests.Classroom;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Workspace;
using Microsoft.JSInterop;

namespace CodeRunner.Tests.Web;

/// <summary>A class student's workspace on the server (a real SQLite file): other tabs' saves arrive, and a stale save loses nothing.</summary>
public sealed class ServerWorkspaceStorageTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private ClassroomHost _app = default!;
    private StudentIdentity _student = default!;

    public async Task InitializeAsync()
    {
        _database = await new SqliteTestDatabases().CreateAsync();
        _app = await ClassroomHost.StartAsync(_database.Settings);
        var teacher = await _app.AddTeacherAsync();
        _student = await _app.JoinAsync(await _app.Classes.CreateAsync(teacher, "7B"), "Ada");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A tab of the student's: its storage, and what arrives from elsewhere.</summary>
    private async Task<(ServerWorkspaceStorage Storage, List<RemoteChange> Arrived)> OpenTabAsync()
    {
        var storage = new ServerWorkspaceStorage(_student, _app.Projects, _app.Events, new BrowserWorkspaceStorage(new LocalStateOnlyJs()));
        var arrived = new List<RemoteChange>();
        storage.RemoteChanged += change =>
        {
            lock (arrived)
            {
                arrived.Add(change);
            }
        };
        await storage.LoadAsync(1024 * 1024);
        return (storage, arrived);
    }

    private static WorkspaceManifest Manifest(params string[] files) => new(files, [], [], null, true);

    private static readonly Dictionary<string, byte[]> NoBytes = [];

    private static async Task<RemoteChange> NextAsync(List<RemoteChange> arrived, Func<RemoteChange, bool>? which = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            lock (arrived)
            {
                if (arrived.FirstOrDefault(which ?? (_ => true)) is { } change)
                {
                    return change;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "nothing arrived from the other tab");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task TwoTabsOfOneStudent_EachSeesTheOthersSaves()
    {
        var (first, _) = await OpenTabAsync();
        var (second, arrived) = await OpenTabAsync();

        Assert.Null(await first.SaveAsync(Manifest("main.py"), new Dictionary<string, string> { ["main.py"] = "print(1)" }, NoBytes, []));

        var change = await NextAsync(arrived);
        Assert.Equal("print(1)", change.Files["main.py"]);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task BinaryFile_SavedByOneTab_ArrivesInTheOther_AndLoadsAgain_ByteExact()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF];
        var (first, _) = await OpenTabAsync();
        var (second, arrived) = await OpenTabAsync();

        Assert.Null(await first.SaveAsync(Manifest("main.py", "logo.png"), new Dictionary<string, string> { ["main.py"] = "print(1)" },
            new Dictionary<string, byte[]> { ["logo.png"] = png }, []));

        var change = await NextAsync(arrived, c => c.Binaries.ContainsKey("logo.png"));
        Assert.Equal(png, change.Binaries["logo.png"]);
        Assert.False(change.Files.ContainsKey("logo.png"));
        var (third, _) = await OpenTabAsync();
        var loaded = await third.LoadAsync(1024 * 1024);
        Assert.Equal(png, loaded!.Binaries!["logo.png"]);
        Assert.Contains("logo.png", loaded.Manifest.Files);
        first.Dispose();
        second.Dispose();
        third.Dispose();
    }

    [Fact]
    public async Task ASaveBasedOnAnOlderVersion_KeepsBothTexts_AndTheTabIsTold()
    {
        var (first, _) = await OpenTabAsync();
        Assert.Null(await first.SaveAsync(Manifest("main.py"), new Dictionary<string, string> { ["main.py"] = "v1" }, NoBytes, []));
        var (second, arrived) = await OpenTabAsync(); // loads v1
        Assert.Null(await first.SaveAsync(Manifest("main.py"), new Dictionary<string, string> { ["main.py"] = "first tab's v2" }, NoBytes, []));
        Assert.Null(await second.SaveAsync(Manifest("main.py"), new Dictionary<string, string> { ["main.py"] = "second tab's v2" }, NoBytes, []));

        var stored = (await _app.Projects.LoadAsync(_student.StudentId)).Files.ToDictionary(f => f.Path, f => f.Content);
        Assert.Equal("first tab's v2", stored["main.py"]);
        var keptAs = Assert.Single(stored, f => f.Value == "second tab's v2").Key;
        var told = await NextAsync(arrived, c => c.Notice?.Contains("both versions are kept") == true);
        Assert.Contains(keptAs, told.Notice);
        Assert.Equal("first tab's v2", told.Files["main.py"]);
        Assert.Equal("second tab's v2", told.Files[keptAs]);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task AHandOut_ArrivesInAnOpenTab()
    {
        var (tab, arrived) = await OpenTabAsync();
        var teacher = (await _app.DbAsync()).Users.Single().Id;

        await _app.Projects.HandOutAsync(teacher, _student.ClassId, [("lab/task.py", "print('task')")]);

        var change = await NextAsync(arrived);
        Assert.Equal("print('task')", change.Files["lab/task.py"]);
        Assert.Contains("teacher", change.Notice);
        tab.Dispose();
    }

    /// <summary>
    /// The browser's part of a class workspace is the tabs and drafts in localStorage, which the browser tests cover;
    /// here a browser that has none.
    /// </summary>
    private sealed class LocalStateOnlyJs : IJSRuntime, IJSObjectReference
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            ValueTask.FromResult(identifier switch
            {
                "import" => (TValue)(object)this,
                "loadLocalState" => (TValue)(object)new LocalState(null, []),
                _ => default!,
            });

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
