using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

public sealed class ProjectTests
{
    private static Project NewProject(Action<WorkspaceOptions>? limits = null)
    {
        var options = new WorkspaceOptions();
        limits?.Invoke(options);
        return new Project(options);
    }

    [Fact]
    public void CreateFile_NestedPath_CreatesItsFolders()
    {
        var project = NewProject();
        project.CreateFile("src/util/helpers.py", "x = 1\n");

        Assert.True(project.IsFolder("src"));
        Assert.True(project.IsFolder("src/util"));
        Assert.True(project.IsFile("src/util/helpers.py"));
    }

    [Theory]
    [InlineData("../escape.py", "'.' or '..'")]
    [InlineData("a//b.py", "'.' or '..'")]
    [InlineData("what?.py", "cannot be used in file names")]
    [InlineData("   ", "The name is empty")]
    public void CreateFile_BadName_RefusedWithReason(string name, string reason)
    {
        var error = Assert.Throws<WorkspaceException>(() => NewProject().CreateFile(name));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void CreateFile_ExistingName_RefusedAsAlreadyExists()
    {
        var project = NewProject();
        project.CreateFile("main.py");

        var error = Assert.Throws<WorkspaceException>(() => project.CreateFile("main.py"));
        Assert.Equal("'main.py' already exists.", error.Message);
    }

    [Fact]
    public void CreateFile_OverTheFileCount_MessageNamesTheLimit()
    {
        var project = NewProject(l => l.MaxFiles = 2);
        project.CreateFile("a.py");
        project.CreateFile("b.py");

        var error = Assert.Throws<WorkspaceException>(() => project.CreateFile("c.py"));
        Assert.Contains("file count limit is 2 files", error.Message);
    }

    [Fact]
    public void SetContent_OverTheFileSize_MessageNamesTheLimit()
    {
        var project = NewProject(l => l.MaxFileBytes = 1024);
        project.CreateFile("big.txt");

        var error = Assert.Throws<WorkspaceException>(() => project.SetContent("big.txt", new string('x', 2000)));
        Assert.Contains("file size limit is 1 KB per file", error.Message);
        Assert.Equal("", project.Files["big.txt"]);
    }

    [Fact]
    public void Import_OverTheTotalSize_RefusedWholeAndNamesTheLimit()
    {
        var project = NewProject(l => { l.MaxFileBytes = 1024; l.MaxTotalBytes = 2048; });

        var error = Assert.Throws<WorkspaceException>(() => project.Import(
            [("a.txt", new string('a', 1000)), ("b.txt", new string('b', 1000)), ("c.txt", new string('c', 1000))]));

        Assert.Contains("total size limit is 2 KB per project", error.Message);
        Assert.Empty(project.Files);
    }

    [Fact]
    public void Rename_Folder_MovesEverythingInside()
    {
        var project = NewProject();
        project.CreateFile("old/a.py", "a");
        project.CreateFile("old/deep/b.py", "b");

        var moved = project.Rename("old", "new");

        Assert.Equal(["new/a.py", "new/deep/b.py"], project.Files.Keys);
        Assert.Equal(2, moved.Count);
        Assert.False(project.IsFolder("old"));
        Assert.Equal(2, project.TotalBytes); // moved, not counted twice
    }

    [Fact]
    public void Rename_ManyTimes_TotalSizeStaysTheSize()
    {
        var project = NewProject();
        project.CreateFile("a.py", new string('x', 1000));
        for (var i = 0; i < 10; i++)
        {
            project.Rename(i % 2 == 0 ? "a.py" : "b.py", i % 2 == 0 ? "b.py" : "a.py");
        }

        Assert.Equal(1000, project.TotalBytes);
        project.Delete("a.py");
        Assert.Equal(0, project.TotalBytes);
    }

    [Fact]
    public void Rename_FolderIntoItself_Refused()
    {
        var project = NewProject();
        project.CreateFolder("src");

        var error = Assert.Throws<WorkspaceException>(() => project.Rename("src", "src/inner"));
        Assert.Contains("cannot be moved into itself", error.Message);
    }

    [Fact]
    public void Delete_Folder_RemovesItsFilesAndFreesTheirBytes()
    {
        var project = NewProject();
        project.CreateFile("keep.py", "1");
        project.CreateFile("gone/x.py", "12345");

        var deleted = project.Delete("gone");

        Assert.Equal(["gone/x.py"], deleted);
        Assert.Equal(["keep.py"], project.Files.Keys);
        Assert.Equal(1, project.TotalBytes);
    }

    [Fact]
    public void Tree_Folders_ComeBeforeFilesAndNest()
    {
        var project = NewProject();
        project.CreateFile("z.py");
        project.CreateFile("a/b.py");

        var tree = ProjectTree.Build(project);

        Assert.Equal(["a", "z.py"], tree.Select(n => n.Name));
        Assert.Equal("a/b.py", Assert.Single(tree[0].Children).Path);
    }
}
