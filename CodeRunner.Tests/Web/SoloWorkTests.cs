using CodeRunner.Web.Classroom;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

public sealed class SoloWorkTests
{
    [Fact]
    public void SoloWork_JoiningAClassProject_NeverReplacesAFileOfIt()
    {
        var project = new Dictionary<string, string> { ["main.py"] = "class version", ["same.py"] = "x", ["main (from this browser).py"] = "older copy" };
        var solo = new Dictionary<string, string> { ["main.py"] = "solo version", ["same.py"] = "x", ["notes.txt"] = "n", ["Makefile"] = "m" };

        var merged = SoloWork.Merge(project, solo);

        Assert.Equal(
        [
            ("Makefile", "m"),
            ("main (from this browser 2).py", "solo version"),
            ("notes.txt", "n"),
        ], merged);
    }

    [Fact]
    public void SoloWork_BinaryFiles_JoinTooBesideTheClassProjects_AndTheSameBytesAreLeftAlone()
    {
        var project = new Dictionary<string, FileContent>
        {
            ["logo.png"] = FileContent.FromText("not the same"), ["same.bin"] = FileContent.FromBytes([1, 2, 0]),
        };
        (string, FileContent)[] solo = [("logo.png", FileContent.FromBytes([0x89, 0x50, 0x00])), ("same.bin", FileContent.FromBytes([1, 2, 0]))];

        var merged = SoloWork.Merge(project, solo);

        var (path, content) = Assert.Single(merged);
        Assert.Equal("logo (from this browser).png", path);
        Assert.Equal([0x89, 0x50, 0x00], content.Bytes);
    }
}
