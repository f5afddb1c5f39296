using CodeRunner.Classroom.Projects;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Tests.Classroom;

/// <summary>Migrations at start-up, saves that fail part-way, and backups restored; run against each provider.</summary>
public abstract class DataSafetyTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    [Fact]
    public async Task StartUp_EmptyDatabase_IsMigratedToTheLatest()
    {
        await using var db = await App.DbAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task StartUp_AgainOnAnUpToDateDatabase_ChangesNothingAndKeepsTheData()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        await RestartAsync();
        await RestartAsync();

        Assert.Equal([schoolClass.Id], (await App.Classes.ListAsync(teacherId)).Select(c => c.Id));
    }

    [Fact]
    public async Task Save_ServerDiesBeforeTheCommit_TheProjectIsExactlyAsBefore()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var first = await App.Projects.SaveAsync(ana.StudentId, [new("a.py", "a", 0), new("b.py", "b", 0)], [], ["old"], "tab");
        var before = await App.Projects.LoadAsync(ana.StudentId);
        App.Saboteur.FailNextCommit();

        await Assert.ThrowsAsync<IOException>(() => App.Projects.SaveAsync(ana.StudentId,
            [new("a.py", "changed", first.Versions["a.py"]), .. Enumerable.Range(0, 50).Select(i => new FileSave($"new{i}.py", "x", 0))],
            [new("b.py", first.Versions["b.py"])], ["new-folder"], "tab"));

        var after = await App.Projects.LoadAsync(ana.StudentId);
        Assert.Equal(before.Files, after.Files);
        Assert.Equal(before.EmptyFolders, after.EmptyFolders);
    }

    [Fact]
    public async Task Save_AfterAFailedOne_GoesOnFromTheStoredVersions()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var first = await App.Projects.SaveAsync(ana.StudentId, [new("a.py", "a", 0)], [], [], "tab");
        App.Saboteur.FailNextCommit();
        await Assert.ThrowsAsync<IOException>(() => App.Projects.SaveAsync(ana.StudentId, [new("a.py", "lost", first.Versions["a.py"])], [], [], "tab"));

        var retry = await App.Projects.SaveAsync(ana.StudentId, [new("a.py", "saved", first.Versions["a.py"])], [], [], "tab");

        Assert.Empty(retry.Conflicts);
        Assert.Equal("saved", Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files).Content);
    }

    [Fact]
    public async Task HandOut_ServerDiesBeforeTheCommit_NoStudentGotAnything()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var ben = await App.JoinAsync(schoolClass, "Ben");
        App.Saboteur.FailNextCommit();

        await Assert.ThrowsAsync<IOException>(() => App.Projects.HandOutAsync(teacherId, schoolClass.Id, [("task.py", "# task")]));

        Assert.Empty((await App.Projects.LoadAsync(ana.StudentId)).Files);
        Assert.Empty((await App.Projects.LoadAsync(ben.StudentId)).Files);
        var late = await App.JoinAsync(schoolClass, "Late");
        Assert.Empty((await App.Projects.LoadAsync(late.StudentId)).Files);
    }

    [Fact]
    public async Task Backup_TakenWhileTheAppRuns_RestoresEveryStudentsProject()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana", "1111");
        var ben = await App.JoinAsync(schoolClass, "Ben", "2222");
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print('ana')", 0)], [], ["empty"], "tab");
        await App.Projects.SaveAsync(ben.StudentId, [new("main.py", "print('ben')", 0), new("lib/b.py", "b", 0)], [], [], "tab");
        var anaBefore = await App.Projects.LoadAsync(ana.StudentId);
        var benBefore = await App.Projects.LoadAsync(ben.StudentId);

        await using var restored = await Database.BackUpAndRestoreAsync();
        await RestartAsync(restored.Settings);

        Assert.Equal(anaBefore, await App.Projects.LoadAsync(ana.StudentId), ProjectComparer.Instance);
        Assert.Equal(benBefore, await App.Projects.LoadAsync(ben.StudentId), ProjectComparer.Instance);
        Assert.Equal(ben.StudentId, (await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ben", "2222")).Student?.StudentId);
        Assert.Equal(2, (await App.Classes.GetAsync(teacherId, schoolClass.Id)).Students);
    }

    /// <summary>Projects compared by their files and folders (the records hold lists, which compare by reference).</summary>
    private sealed class ProjectComparer : IEqualityComparer<StoredProject>
    {
        public static readonly ProjectComparer Instance = new();

        public bool Equals(StoredProject? x, StoredProject? y) =>
            x!.Files.SequenceEqual(y!.Files) && x.EmptyFolders.SequenceEqual(y.EmptyFolders);

        public int GetHashCode(StoredProject obj) => obj.Files.Count;
    }
}
