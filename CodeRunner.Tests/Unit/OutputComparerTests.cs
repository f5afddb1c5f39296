using System.Diagnostics;
using CodeRunner.Engine.Testing;

namespace CodeRunner.Tests.Unit;

/// <summary>Every comparison mode, with the outputs that trip people up: CRLF, a missing final newline, Unicode, -0.0.</summary>
public sealed class OutputComparerTests
{
    private static bool Matches(string expected, string actual, ComparisonMode mode, double absolute = 1e-6, double relative = 1e-6) =>
        OutputComparer.Compare(expected, actual, new OutputComparison { Mode = mode, AbsoluteTolerance = absolute, RelativeTolerance = relative }).Matches;

    [Theory]
    [InlineData("3\n", "3\n")]
    [InlineData("3\n", "3")]              // a missing final newline
    [InlineData("3", "3\n\n\n")]          // extra final newlines
    [InlineData("a\nb\n", "a\r\nb\r\n")]  // CRLF
    [InlineData("a b\nc\n", "a b   \nc\t\n")] // trailing white space on a line
    public void TrimTrailing_IgnoresLineEndsAndTrailingWhiteSpace(string expected, string actual) =>
        Assert.True(Matches(expected, actual, ComparisonMode.TrimTrailing));

    [Theory]
    [InlineData("a b\n", "a  b\n")]   // white space inside a line counts
    [InlineData("a\nb\n", "a\n\nb\n")] // an empty line in the middle counts
    [InlineData("3\n", " 3\n")]       // leading white space counts
    [InlineData("3\n", "4\n")]
    public void TrimTrailing_StillSeesEverythingElse(string expected, string actual) =>
        Assert.False(Matches(expected, actual, ComparisonMode.TrimTrailing));

    [Fact]
    public void TrimTrailing_IsTheDefault_AndSaysWhichLineDiffers()
    {
        var result = OutputComparer.Compare("1\n2\n3\n", "1\n5\n3\n");
        Assert.Equal(new ComparisonResult(false, "first difference at line 2: expected \"2\", got \"5\""), result);
    }

    [Fact]
    public void TrimTrailing_SaysWhenLinesAreMissing()
    {
        var result = OutputComparer.Compare("1\n2\n", "1\n");
        Assert.Equal("first difference at line 2: the output has 1 lines, 2 were expected; expected \"2\"", result.Difference);
    }

    [Theory]
    [InlineData("3\n", "3\n", true)]
    [InlineData("3\n", "3", false)]
    [InlineData("a\nb\n", "a\r\nb\r\n", false)]
    [InlineData("3 \n", "3\n", false)]
    public void Exact_IsByteForByte(string expected, string actual, bool matches) =>
        Assert.Equal(matches, Matches(expected, actual, ComparisonMode.Exact));

    [Fact]
    public void Exact_SaysWhereTheFirstDifferenceIs()
    {
        var result = OutputComparer.Compare("ab\ncd\n", "ab\ncx\n", new OutputComparison { Mode = ComparisonMode.Exact });
        Assert.Equal("first difference at line 2, column 2: expected \"d\\n\", got \"x\\n\"", result.Difference);
    }

    [Fact]
    public void Exact_SaysWhenTheOutputStopsShort()
    {
        var result = OutputComparer.Compare("3\n", "3", new OutputComparison { Mode = ComparisonMode.Exact });
        Assert.Equal("first difference at line 1, column 2: the output ends there, and more was expected (\"\\n\")", result.Difference);
    }

    [Theory]
    [InlineData("1 2 3", "1\n2\r\n3\n")]
    [InlineData("1 2 3\n", "  1\t2   3")]
    [InlineData("", " \n\t")]
    public void Tokens_IgnoresAnyWhiteSpace(string expected, string actual) =>
        Assert.True(Matches(expected, actual, ComparisonMode.Tokens));

    [Theory]
    [InlineData("1 2 3", "1 2")]
    [InlineData("1 2", "12")]
    [InlineData("1.0", "1")] // words, not numbers
    public void Tokens_ComparesTheWords(string expected, string actual) =>
        Assert.False(Matches(expected, actual, ComparisonMode.Tokens));

    [Theory]
    [InlineData("0", "-0.0")]
    [InlineData("-0.0", "0")]
    [InlineData("1", "1.0000000001")]
    [InlineData("3.14159", "3.14159")]
    [InlineData("1e3", "1000")]
    [InlineData("x = 0.5", "x = 5e-1")]
    [InlineData("nan inf", "NaN Infinity")]
    public void Numbers_EqualWithinTheTolerance(string expected, string actual) =>
        Assert.True(Matches(expected, actual, ComparisonMode.Numbers));

    [Theory]
    [InlineData("0.5", "0.51", 1e-6, 1e-6, false)]
    [InlineData("0.5", "0.51", 0.02, 0, true)]    // absolute
    [InlineData("1000", "1010", 0, 0.01, true)]   // relative: 1% of 1000
    [InlineData("1000", "1011", 0, 0.01, false)]
    [InlineData("inf", "-inf", 1, 1, false)]
    [InlineData("x", "y", 1, 1, false)]           // words stay words
    public void Numbers_UseTheAbsoluteOrTheRelativeTolerance(string expected, string actual, double absolute, double relative, bool matches) =>
        Assert.Equal(matches, Matches(expected, actual, ComparisonMode.Numbers, absolute, relative));

    [Fact]
    public void Numbers_SayWhichNumberIsOffAndByHowMuch()
    {
        var result = OutputComparer.Compare("1 2.5", "1 2.75", new OutputComparison { Mode = ComparisonMode.Numbers });
        Assert.StartsWith("word 2: expected 2.5, got 2.75 (off by 0.25", result.Difference);
    }

    [Theory]
    [InlineData(ComparisonMode.TrimTrailing)]
    [InlineData(ComparisonMode.Tokens)]
    [InlineData(ComparisonMode.Exact)]
    public void Unicode_TheSameText_Matches(ComparisonMode mode) =>
        Assert.True(Matches("café 🙂 日本 Ω\n", "café 🙂 日本 Ω\n", mode));

    [Fact]
    public void Unicode_WhiteSpaceOtherThanSpaces_SeparatesWords() =>
        Assert.True(Matches("日本 語", "日本\u3000語\u00A0", ComparisonMode.Tokens));

    [Theory]
    [InlineData(ComparisonMode.TrimTrailing)]
    [InlineData(ComparisonMode.Exact)]
    public void Unicode_ComposedAndDecomposedFormsDiffer_AsInJudge0(ComparisonMode mode) =>
        Assert.False(Matches("café", "cafe\u0301", mode));

    [Fact]
    public void Unicode_ADifferentLetter_IsADifferenceNamedInTheMessage()
    {
        var result = OutputComparer.Compare("Grüße\n", "Grusse\n");
        Assert.Equal("first difference at line 1: expected \"Grüße\", got \"Grusse\"", result.Difference);
    }

    [Theory]
    [InlineData(@"\d+", "42\n", true)]             // the final newline is not part of the match
    [InlineData(@"\d+", "42 43\n", false)]         // the whole output, not a part of it
    [InlineData(@"Hello, \w+!", "Hello, Ada!\r\n", true)]
    [InlineData(@"a\nb", "a\r\nb\r\n", true)]      // CRLF as LF
    [InlineData(@"(?i)yes", "YES", true)]
    public void Regex_MatchesTheWholeOutput(string pattern, string actual, bool matches) =>
        Assert.Equal(matches, Matches(pattern, actual, ComparisonMode.Regex));

    [Fact]
    public void Regex_AnInvalidPattern_FailsWithTheReason()
    {
        var result = OutputComparer.Compare("(unclosed", "x", new OutputComparison { Mode = ComparisonMode.Regex });
        Assert.StartsWith("the expected output is not a valid regular expression", result.Difference);
    }

    [Fact]
    public void Regex_ACatastrophicPattern_EndsAtItsTimeout_WithAClearMessage()
    {
        var clock = Stopwatch.StartNew();
        var result = OutputComparer.Compare("(a+)+b", new string('a', 5000), new OutputComparison { Mode = ComparisonMode.Regex },
            TimeSpan.FromMilliseconds(200));

        Assert.False(result.Matches);
        Assert.Contains("took longer than 0.2 s", result.Difference);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the comparison took {clock.Elapsed}");
    }
}
