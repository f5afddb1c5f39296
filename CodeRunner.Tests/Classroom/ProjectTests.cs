using System.IO.Compression;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;

namespace CodeRunner.Tests.Classroom;

/// <summary>Saves with versions, conflicts, limits, hand-outs and the class export; run against each provider.</summary>
public abstract class ProjectTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    [Fact]
    public async Task Save_NewFiles_AreStoredWithVersionsAndFolders()
    {
        var ana = await StudentAsync();

        var outcome = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print(1)", 0), new("lib/util.py", "x = 1", 0)], [], ["data"], "tab-1");

        var project = await App.Projects.LoadAsync(ana.StudentId);
        Assert.Empty(outcome.Conflicts);
        Assert.Equal([("lib/util.py", "x = 1", outcome.Versions["lib/util.py"]), ("main.py", "print(1)", outcome.Versions["main.py"])],
            project.Files.Select(f => (f.Path, f.Content, f.Version)));
        Assert.Equal(["data"], project.EmptyFolders);
    }

    [Fact]
    public async Task Save_BasedOnTheCurrentVersion_ReplacesTheFileWithAHigherVersion()
    {
        var ana = await StudentAsync();
        var first = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v1", 0)], [], [], "tab");

        var second = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v2", first.Versions["main.py"])], [], [], "tab");

        Assert.True(second.Versions["main.py"] > first.Versions["main.py"]);
        Assert.Equal("v2", Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files).Content);
    }

    [Fact]
    public async Task Save_BasedOnAnOlderVersion_KeepsTheNewerTextAndStoresTheTabsBesideIt()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v1", 0)], [], [], "tab-a")).Versions["main.py"];
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "newer from tab b", v1)], [], [], "tab-b");
        Time.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(5));

        var stale = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "stale from tab a", v1)], [], [], "tab-a");

        var files = (await App.Projects.LoadAsync(ana.StudentId)).Files.ToDictionary(f => f.Path, f => f.Content);
        Assert.Equal([new SaveConflict("main.py", "main (conflict 14.05).py")], stale.Conflicts);
        Assert.Equal("newer from tab b", files["main.py"]);
        Assert.Equal("stale from tab a", files["main (conflict 14.05).py"]);
        Assert.False(stale.Versions.ContainsKey("main.py"));
    }

    [Fact]
    public async Task Save_TwoStaleSavesInOneMinute_EachKeepsItsOwnCopy()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v1", 0)], [], [], "a")).Versions["main.py"];
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v2", v1)], [], [], "b");

        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "stale 1", v1)], [], [], "c");
        var second = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "stale 2", v1)], [], [], "d");

        Assert.Equal("main (conflict 09.00 2).py", second.Conflicts[0].KeptAs);
        Assert.Equal(3, (await App.Projects.LoadAsync(ana.StudentId)).Files.Count);
    }

    [Fact]
    public async Task Save_NewFileWhereOneIsStoredWithTheSameText_IsNoConflict()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "same", 0)], [], [], "a")).Versions["main.py"];

        var outcome = await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "same", 0)], [], [], "b");

        Assert.Empty(outcome.Conflicts);
        Assert.Equal(v1, outcome.Versions["main.py"]);
    }

    [Fact]
    public async Task Delete_BasedOnAnOlderVersion_IsNotApplied()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v1", 0)], [], [], "a")).Versions["main.py"];
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v2", v1)], [], [], "b");

        var outcome = await App.Projects.SaveAsync(ana.StudentId, [], [new("main.py", v1)], [], "a");

        Assert.Equal([new SaveConflict("main.py", "main.py")], outcome.Conflicts);
        Assert.Equal("v2", Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files).Content);
    }

    [Fact]
    public async Task Delete_BasedOnTheCurrentVersion_RemovesTheFile()
    {
        var ana = await StudentAsync();
        var saved = await App.Projects.SaveAsync(ana.StudentId, [new("a.py", "a", 0), new("b.py", "b", 0)], [], [], "tab");

        await App.Projects.SaveAsync(ana.StudentId, [], [new("a.py", saved.Versions["a.py"])], [], "tab");

        Assert.Equal(["b.py"], (await App.Projects.LoadAsync(ana.StudentId)).Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Save_Committed_IsPublishedWithTheTabThatSaved()
    {
        var ana = await StudentAsync();
        var saved = await App.Projects.SaveAsync(ana.StudentId, [new("a.py", "a", 0)], [], [], "tab-1");
        using var events = App.Listen(ana.ClassId);

        var outcome = await App.Projects.SaveAsync(ana.StudentId, [new("b.py", "b", 0)], [new("a.py", saved.Versions["a.py"])], [], "tab-2");

        var published = Assert.Single(events.Of<ProjectSaved>());
        Assert.Equal((ana.StudentId, "tab-2", outcome.Versions["b.py"]), (published.StudentId, published.Origin, published.Versions["b.py"]));
        Assert.Equal(["a.py"], published.Deleted);
    }

    [Fact]
    public async Task Save_FileOverTheSizeLimit_RefusesTheWholeSave()
    {
        var ana = await StudentAsync();
        var before = await App.Projects.SaveAsync(ana.StudentId, [new("keep.py", "kept", 0)], [], [], "tab");

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Projects.SaveAsync(ana.StudentId,
            [new("keep.py", "changed", before.Versions["keep.py"]), new("a.py", "a", 0), new("big.txt", new string('x', 1024 * 1024 + 1), 0)],
            [], ["folder"], "tab"));

        Assert.Contains("file size limit", refused.Message);
        var project = await App.Projects.LoadAsync(ana.StudentId);
        Assert.Equal([("keep.py", "kept", before.Versions["keep.py"])], project.Files.Select(f => (f.Path, f.Content, f.Version)));
        Assert.Empty(project.EmptyFolders);
    }

    [Fact]
    public async Task Save_OverTheFileCountLimit_RefusesTheWholeSave()
    {
        var ana = await StudentAsync();

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Projects.SaveAsync(ana.StudentId,
            [.. Enumerable.Range(0, 201).Select(i => new FileSave($"f{i}.py", "x", 0))], [], [], "tab"));

        Assert.Contains("file count limit", refused.Message);
        Assert.Empty((await App.Projects.LoadAsync(ana.StudentId)).Files);
    }

    [Fact]
    public async Task Save_OverTheTotalSizeLimit_RefusesTheWholeSave()
    {
        var ana = await StudentAsync();
        var big = new string('x', 1000 * 1024);

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Projects.SaveAsync(ana.StudentId,
            [.. Enumerable.Range(0, 5).Select(i => new FileSave($"f{i}.txt", big, 0))], [], [], "tab"));

        Assert.Contains("total size limit", refused.Message);
        Assert.Empty((await App.Projects.LoadAsync(ana.StudentId)).Files);
    }

    [Fact]
    public async Task Save_ManyStudentsAtOnce_AllAreStored()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var students = new List<StudentIdentity>();
        for (var i = 0; i < 40; i++)
        {
            students.Add(await App.JoinAsync(schoolClass, $"Student {i}"));
        }

        await Task.WhenAll(students.Select(s => Task.Run(() =>
            App.Projects.SaveAsync(s.StudentId, [new("main.py", $"print('{s.StudentName}')", 0)], [], [], "tab"))));

        foreach (var student in students)
        {
            Assert.Equal($"print('{student.StudentName}')", Assert.Single((await App.Projects.LoadAsync(student.StudentId)).Files).Content);
        }
    }

    [Fact]
    public async Task Save_TwoTabsOfOneStudentAtOnce_OneWinsAndTheOtherIsKeptBeside()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "v1", 0)], [], [], "a")).Versions["main.py"];

        Task<SaveOutcome> Save(string tab) => Task.Run(() => App.Projects.SaveAsync(ana.StudentId, [new("main.py", tab, v1)], [], [], tab));

        var outcomes = await Task.WhenAll(Save("tab a"), Save("tab b"));

        Assert.Single(outcomes, o => o.Conflicts.Count == 1);
        var contents = (await App.Projects.LoadAsync(ana.StudentId)).Files.Select(f => f.Content).Order();
        Assert.Equal(["tab a", "tab b"], contents);
    }

    [Fact]
    public async Task HandOut_ToTheClass_EveryStudentGetsTheFilesAndItIsPublished()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var ben = await App.JoinAsync(schoolClass, "Ben");
        using var events = App.Listen(schoolClass.Id);

        var outcome = await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# task"), ("data/in.txt", "1 2")]);

        Assert.Equal(new HandoutOutcome(2, 0), outcome);
        foreach (var student in new[] { ana, ben })
        {
            Assert.Equal(["data/in.txt", "task.py"], (await App.Projects.LoadAsync(student.StudentId)).Files.Select(f => f.Path));
        }

        Assert.Equal([new FilesHandedOut(schoolClass.Id)], events.Of<FilesHandedOut>());
    }

    [Fact]
    public async Task HandOut_StudentHasTheirOwnFileThere_ItIsNeverOverwritten()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.SaveAsync(ana.StudentId, [new("task.py", "Ana's own work", 0)], [], [], "tab");

        var outcome = await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# the task")]);

        var files = (await App.Projects.LoadAsync(ana.StudentId)).Files.ToDictionary(f => f.Path, f => f.Content);
        Assert.Equal(1, outcome.Renamed);
        Assert.Equal("Ana's own work", files["task.py"]);
        Assert.Equal("# the task", files["task (from teacher).py"]);
    }

    [Fact]
    public async Task HandOut_SameFilesAgain_IdenticalFilesAreLeftAlone()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.SaveAsync(ana.StudentId, [new("task.py", "mine", 0)], [], [], "tab");
        await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# task"), ("notes.md", "read me")]);

        var again = await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# task"), ("notes.md", "read me")]);

        Assert.Equal(0, again.Renamed);
        Assert.Equal(["notes.md", "task (from teacher).py", "task.py"], (await App.Projects.LoadAsync(ana.StudentId)).Files.Select(f => f.Path));
    }

    [Fact]
    public async Task HandOut_StudentJoinsLater_GetsEveryHandoutInOrder()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# first")]);
        Time.Advance(TimeSpan.FromMinutes(10));
        await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# second"), ("more.py", "# more")]);

        var late = await App.JoinAsync(schoolClass, "Late");

        var files = (await App.Projects.LoadAsync(late.StudentId)).Files.ToDictionary(f => f.Path, f => f.Content);
        Assert.Equal("# first", files["task.py"]);
        Assert.Equal("# second", files["task (from teacher).py"]);
        Assert.Equal("# more", files["more.py"]);
    }

    [Fact]
    public async Task HandOut_ThenStudentSaves_TheHandedOutVersionIsTheBase()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# task")]);
        var loaded = Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files);

        var outcome = await App.Projects.SaveAsync(ana.StudentId, [new("task.py", "# done", loaded.Version)], [], [], "tab");

        Assert.Empty(outcome.Conflicts);
    }

    [Fact]
    public async Task Export_TwoStudents_AFolderEachWithTheirFiles()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var ben = await App.JoinAsync(schoolClass, "Ben");
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print('ana')", 0), new("lib/x.py", "x", 0)], [], ["empty"], "tab");
        await App.Projects.SaveAsync(ben.StudentId, [new("main.py", "print('ben')", 0)], [], [], "tab");
        using var zipped = new MemoryStream();

        await App.Projects.ExportClassAsync(teacherId, schoolClass.Id, zipped);

        zipped.Position = 0;
        using var zip = new ZipArchive(zipped, ZipArchiveMode.Read);
        Assert.Equal(["Ana/", "Ana/lib/x.py", "Ana/main.py", "Ana/empty/", "Ben/", "Ben/main.py"], zip.Entries.Select(e => e.FullName));
        Assert.Equal("print('ben')", await new StreamReader(zip.GetEntry("Ben/main.py")!.Open()).ReadToEndAsync());
    }

    [Fact]
    public async Task Export_NamesThatMakeTheSameFolder_GetFoldersOfTheirOwn()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "Ana.");
        await App.JoinAsync(schoolClass, "Ana");
        using var zipped = new MemoryStream();

        await App.Projects.ExportClassAsync(teacherId, schoolClass.Id, zipped);

        zipped.Position = 0;
        using var zip = new ZipArchive(zipped, ZipArchiveMode.Read);
        Assert.Equal(["Ana (2)/", "Ana/"], zip.Entries.Select(e => e.FullName).Order());
    }

    [Fact]
    public async Task LoadForTeacher_TheirStudent_SeesTheProject()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print(1)", 0)], [], [], "tab");

        var project = await App.Projects.LoadForTeacherAsync(teacherId, ana.StudentId);

        Assert.Equal("print(1)", Assert.Single(project.Files).Content);
    }

    private async Task<StudentIdentity> StudentAsync()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        return await App.JoinAsync(schoolClass, "Ana");
    }
}
