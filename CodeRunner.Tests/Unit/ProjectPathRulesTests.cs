using CodeRunner.Engine.Runs;

namespace CodeRunner.Tests.Unit;

public sealed class ProjectPathRulesTests
{
    [Theory]
    [InlineData("main.py")]
    [InlineData("ex1/a.c")]
    [InlineData("src/com/example/App.java")]
    [InlineData("notes with spaces/ünïcode.txt")]
    public void OrdinaryPath_HasNoProblem(string path)
    {
        Assert.Null(ProjectPathRules.Problem(path));
    }

    [Theory]
    [InlineData("/etc/passwd", "must be relative to the project, with / between folders")]
    [InlineData("a\\main.py", "must be relative to the project, with / between folders")]
    [InlineData("C:/main.py", "must be relative to the project, with / between folders")]
    [InlineData("a/../b.py", "has an empty, '.' or '..' part")]
    [InlineData("a//b.py", "has an empty, '.' or '..' part")]
    [InlineData("what?.py", "contains '?', a character that cannot be used in file names")]
    [InlineData("a/b|c.py", "The name 'b|c.py' contains '|'")]
    [InlineData("new\nline.py", "The name 'new\uFFFDline.py' contains the control character U+000A")]
    [InlineData("", "The name is empty.")]
    public void BrokenRule_Problem_SaysWhatToChange(string path, string expected)
    {
        Assert.Contains(expected, ProjectPathRules.Problem(path));
    }

    [Fact]
    public void DeepPath_PastTheDepthLimit_NamesTheLimit()
    {
        var sixteen = string.Join('/', Enumerable.Repeat("d", 15)) + "/f.c";
        var seventeen = "d/" + sixteen;

        Assert.Null(ProjectPathRules.Problem(sixteen));
        Assert.Equal($"The path '{seventeen}' is nested deeper than 16 folders.", ProjectPathRules.Problem(seventeen));
    }

    [Fact]
    public void LongPath_PastAGivenLimit_NamesThatLimitAndShowsTheStartOfThePath()
    {
        var problem = ProjectPathRules.Problem(new string('a', 100) + ".c", maxLength: 80);
        Assert.Equal($"The path '{new string('a', 60)}…' is longer than 80 characters.", problem);
    }
}
