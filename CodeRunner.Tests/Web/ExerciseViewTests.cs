using CodeRunner.Classroom.Exercises;
using CodeRunner.Engine.Testing;
using CodeRunner.Web.Exercises;

namespace CodeRunner.Tests.Web;

/// <summary>What the exercise pages make of a statement, of two outputs, and of a case's result: pure logic.</summary>
public sealed class ExerciseViewTests
{
    [Fact]
    public void Statement_RendersMarkdown()
    {
        var html = StatementMarkdown.ToHtml("# Sum\n\nRead **two** numbers.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n1 2\n```");

        Assert.Contains("<h1", html);
        Assert.Contains("<strong>two</strong>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<pre><code>1 2", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<iframe src=\"https://example.invalid\"></iframe>")]
    [InlineData("Text <b onmouseover=alert(1)>bold</b>")]
    public void Statement_RawHtmlIsShownAsText(string markdown)
    {
        var html = StatementMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](java\tscript:alert(1))")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[a]: javascript:alert(1)\n\n[click][a]")]
    public void Statement_ScriptAddressesAreRemoved(string markdown)
    {
        var html = StatementMarkdown.ToHtml(markdown);

        // Text may say "javascript:"; no address of a link or an image may hold a scheme that runs.
        var addresses = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(addresses, address => Assert.True(StatementMarkdown.IsSafe(address), address));
        Assert.DoesNotMatch("(?i)(href|src)=\"\\s*(java|vb)", html);
    }

    [Theory]
    [InlineData("https://docs.python.org/3/", true)]
    [InlineData("http://example.invalid/a", true)]
    [InlineData("mailto:teacher@school.invalid", true)]
    [InlineData("#input", true)]
    [InlineData("files/input.txt", true)]
    [InlineData("a/b:c", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" javascript:alert(1)", false)]
    [InlineData("data:text/html,x", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Statement_SafeAddresses(string url, bool safe) => Assert.Equal(safe, StatementMarkdown.IsSafe(url));

    [Fact]
    public void Statement_SafeLinkKept()
    {
        var html = StatementMarkdown.ToHtml("[docs](https://docs.python.org/3/)");

        Assert.Contains("href=\"https://docs.python.org/3/\"", html);
    }

    [Fact]
    public void Diff_SideBySide_MarksTheChangedLine()
    {
        var diff = OutputDiff.Of("1\n2\n3\n", "1\n5\n3\n");

        Assert.Equal(0, diff.HiddenRows);
        Assert.Equal(DiffRowKind.Same, diff.Rows[0].Kind);
        var changed = diff.Rows.Single(r => r.Kind != DiffRowKind.Same);
        Assert.Equal(("2", "5"), (changed.Expected, changed.Actual));
        Assert.Equal(DiffRowKind.Same, diff.Rows[2].Kind);
    }

    [Fact]
    public void Diff_MissingAndExtraLines()
    {
        var missing = OutputDiff.Of("a\nb\n", "a\n");
        var extra = OutputDiff.Of("a\n", "a\nb\n");

        Assert.Contains(missing.Rows, r => r is { Kind: DiffRowKind.OnlyExpected, Expected: "b", Actual: null });
        Assert.Contains(extra.Rows, r => r is { Kind: DiffRowKind.OnlyActual, Expected: null, Actual: "b" });
    }

    [Fact]
    public void Diff_CrlfIsTheSameLine()
    {
        var diff = OutputDiff.Of("3\n4\n", "3\r\n4\r\n");

        Assert.All(diff.Rows, r => Assert.Equal(DiffRowKind.Same, r.Kind));
    }

    [Fact]
    public void Diff_ManyLines_ShowsAtMostTheCap()
    {
        var expected = string.Join('\n', Enumerable.Range(0, 5000));
        var actual = string.Join('\n', Enumerable.Range(0, 5000).Select(i => i + 1));

        var diff = OutputDiff.Of(expected, actual);

        Assert.Equal(OutputDiff.MaxRows, diff.Rows.Count);
        Assert.True(diff.HiddenRows > 0);
    }

    [Fact]
    public void View_HiddenCase_CarriesNothingButTheOutcome()
    {
        var draft = new CaseDraft("secret", "SECRET-INPUT", "SECRET-OUTPUT", Points: 3, Visible: false);
        var result = new TestCaseResult
        {
            Index = 2, Name = "secret", Outcome = TestOutcome.WrongAnswer, Status = "Wrong answer", Message = "expected SECRET-OUTPUT",
            Stdout = "mine", Stderr = "trace", WallTime = TimeSpan.FromMilliseconds(40),
        };

        var student = ExerciseChecks.View(draft, result, teacher: false);
        var teacher = ExerciseChecks.View(draft, result, teacher: true);

        Assert.Equal(("wrong-answer", false, 0, 3), (student.Outcome, student.Visible, student.Earned, student.Points));
        Assert.Null(student.Stdin);
        Assert.Null(student.Expected);
        Assert.Null(student.Stdout);
        Assert.Null(student.Stderr);
        Assert.Null(student.Message);
        Assert.Equal(("SECRET-INPUT", "SECRET-OUTPUT", "mine"), (teacher.Stdin, teacher.Expected, teacher.Stdout));
    }

    [Fact]
    public void View_VisiblePassedCase_EarnsItsPoints()
    {
        var draft = new CaseDraft("one", "1 2", "3", Points: 2);
        var result = new TestCaseResult { Index = 0, Name = "one", Outcome = TestOutcome.Passed, Status = "Accepted", Stdout = "3\n" };

        var view = ExerciseChecks.View(draft, result, teacher: false);

        Assert.Equal((true, 2, "1 2", "3", "3\n"), (view.Passed, view.Earned, view.Stdin, view.Expected, view.Stdout));
    }

    [Theory]
    [InlineData(CaseComparison.TrimTrailing, ComparisonMode.TrimTrailing)]
    [InlineData(CaseComparison.Exact, ComparisonMode.Exact)]
    [InlineData(CaseComparison.Tokens, ComparisonMode.Tokens)]
    [InlineData(CaseComparison.Numbers, ComparisonMode.Numbers)]
    [InlineData(CaseComparison.Regex, ComparisonMode.Regex)]
    public void TestCase_CarriesComparisonAndLimits(CaseComparison comparison, ComparisonMode mode)
    {
        var draft = new CaseDraft("c", "in", "out", comparison, 0.5, 0.25, TimeLimitMs: 1500, MemoryLimitMb: 64);

        var testCase = ExerciseChecks.ToTestCase(draft);

        Assert.Equal((mode, 0.5, 0.25), (testCase.Comparison.Mode, testCase.Comparison.AbsoluteTolerance, testCase.Comparison.RelativeTolerance));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), testCase.Limits.CpuTime);
        Assert.Equal(64L * 1024 * 1024, testCase.Limits.MemoryBytes);
        Assert.Equal(("in", "out"), (testCase.Stdin, testCase.ExpectedOutput));
    }
}
