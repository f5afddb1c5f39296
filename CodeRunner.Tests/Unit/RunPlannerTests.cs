using System.Diagnostics;
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
        var plan = Plan("src/edu/school/Main.java", ("src/edu/school/Main.java", "// hi\npackage edu.school;\nclass Main {}"));
        Assert.Equal("edu.school.Main", plan.Steps[1][^1]);
    }

    [Theory]
    [InlineData("Main.java", "class Main {}", ".")]
    [InlineData("ex1/Main.java", "class Main {}", "ex1:.")]
    [InlineData("app/Main.java", "package app;", ".")]
    [InlineData("src/edu/school/Main.java", "package edu.school;", "src:.")]
    [InlineData("src/app/Main.java", "package edu.school;", "src/app:.")]
    [InlineData("lab/myapp/Main.java", "package app;", "lab/myapp:.")]
    public void Java_CompilesTheEntryFile_WithItsPackageRootThenTheProjectRootAsSourcepath(string entry, string source, string sourcepath)
    {
        var plan = Plan(entry, (entry, source), ("Other.java", "class Other {}"), ("ex2/Main.java", "class Main {}"));
        Assert.Equal(["-sourcepath", sourcepath, entry], plan.Steps[0].TakeLast(3));
    }

    [Fact]
    public void Java_EntryOfAMegabyteOfBlankLines_IsPlannedWithin100Milliseconds()
    {
        var blank = new string('\n', 1024 * 1024);
        Plan("Main.java", ("Main.java", blank));

        var clock = Stopwatch.StartNew();
        var plan = Plan("Main.java", ("Main.java", blank));

        Assert.Equal("Main", plan.Steps[1][^1]);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 100);
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
    public void C_CompilesTheEntryThenItsFolderAndBelow_LeavingOutOtherMains()
    {
        const string Main = "int main(void) { return 0; }";
        var plan = Plan("lab/main.c",
            ("lab/main.c", Main),
            ("lab/util.c", "int twice(int x) { return 2 * x; }"),
            ("lab/io/read.c", "int read_all(void) { return 0; }"),
            ("lab/old/try.c", Main),
            ("lab2/util.c", "int twice(int x) { return x + x; }"),
            ("c/hello.c", Main));

        Assert.Equal(["lab/main.c", "lab/io/read.c", "lab/util.c"], plan.Steps[0].Where(a => a.EndsWith(".c", StringComparison.Ordinal)));
    }

    [Fact]
    public void Cpp_EntryAtTheRoot_CompilesTheWholeProjectButOtherMains()
    {
        const string Main = "int main() { return 0; }";
        var plan = Plan("main.cpp", ("main.cpp", Main), ("math/square.cpp", "int square(int x) { return x * x; }"), ("ex1/a.cpp", Main));

        Assert.Equal(["main.cpp", "math/square.cpp"], plan.Steps[0].Where(a => a.EndsWith(".cpp", StringComparison.Ordinal)));
    }

    [Fact]
    public void Environment_HoldsOnlyTheBaseAndTheRuntimesVariables()
    {
        var plan = Plan("main.py", ("main.py", ""));
        Assert.All(plan.Environment, e => Assert.Matches("^(PATH|HOME|USER|LANG|TMPDIR|PYTHON[A-Z]+|MPL[A-Z]+|CODERUNNER_IMAGE_FD)=", e));
    }
}
