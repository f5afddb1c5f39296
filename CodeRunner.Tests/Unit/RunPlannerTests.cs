using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Unit;

public sealed class RunPlannerTests
{
    private static readonly RuntimeCatalog Catalog = new(Options.Create(new EngineOptions()));
    private static readonly RequestLimits Limits = new();

    private static RunPlan Plan(string entry, params (string Path, string Text)[] files) => RunPlanner.Plan(new RunRequest
    {
        EntryFile = entry,
        Files = files.Select(f => SourceFile.Text(f.Path, f.Text)).ToList(),
    }, Catalog, Limits);

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("a/../../escape.py")]
    [InlineData("/etc/passwd")]
    [InlineData("./main.py")]
    [InlineData("a//main.py")]
    [InlineData("a\\main.py")]
    [InlineData("C:main.py")]
    [InlineData("bad\0name.py")]
    [InlineData("new\nline.py")]
    [InlineData("folder/")]
    [InlineData("")]
    public void BadPath_IsRefused_BeforeAnythingRuns(string path)
    {
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", ("main.py", "print(1)"), (path, "x")));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void OverlongPath_IsRefused_WithTheLimitInTheMessage()
    {
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", ("main.py", ""), (new string('a', 300) + ".py", "")));
        Assert.Contains("255", ex.Message);
    }

    [Fact]
    public void TooManyFiles_AreRefused_WithTheLimitInTheMessage()
    {
        var files = Enumerable.Range(0, 5000).Select(i => ($"f{i}.py", "")).Append(("main.py", "")).ToArray();
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", files));
        Assert.Contains("500", ex.Message);
    }

    [Fact]
    public void OversizeProject_IsRefused_WithTheLimitInTheMessage()
    {
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", ("main.py", ""), ("data.txt", new string('x', 20 * 1024 * 1024))));
        Assert.Contains("10 MB", ex.Message);
    }

    [Fact]
    public void MissingEntryFile_IsRefused()
    {
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", ("other.py", "")));
        Assert.Contains("main.py", ex.Message);
    }

    [Fact]
    public void UnknownLanguage_IsRefused_NamingTheKnownOnes()
    {
        var ex = Assert.Throws<InvalidRunRequestException>(() => Plan("main.rb", ("main.rb", "puts 1")));
        Assert.Contains("Python", ex.Message);
    }

    [Fact]
    public void DuplicatePath_IsRefused()
    {
        Assert.Throws<InvalidRunRequestException>(() => Plan("main.py", ("main.py", ""), ("main.py", "")));
    }

    [Fact]
    public void Java_MainClass_ComesFromThePackageDeclaration()
    {
        var plan = Plan("src/app/Main.java", ("src/app/Main.java", "// hi\npackage edu.school;\nclass Main {}"), ("Util.java", ""));
        Assert.Equal("edu.school.Main", plan.Steps[1][^1]);
        Assert.Contains("src/app/Main.java", plan.Steps[0]);
        Assert.Contains("Util.java", plan.Steps[0]);
    }

    [Fact]
    public void C_CompilesOnlyItsOwnSources()
    {
        var plan = Plan("main.c", ("main.c", ""), ("lib.c", ""), ("lib.h", ""), ("notes.txt", ""));
        Assert.Contains("lib.c", plan.Steps[0]);
        Assert.DoesNotContain("lib.h", plan.Steps[0]);
        Assert.DoesNotContain("notes.txt", plan.Steps[0]);
    }

    [Fact]
    public void Environment_HoldsOnlyTheBaseAndTheRuntimesVariables()
    {
        var plan = Plan("main.py", ("main.py", ""));
        Assert.All(plan.Environment, e => Assert.Matches("^(PATH|HOME|USER|LANG|TMPDIR|PYTHON[A-Z]+|MPL[A-Z]+)=", e));
    }
}
