using CodeRunner.Web.Classroom;

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
}
