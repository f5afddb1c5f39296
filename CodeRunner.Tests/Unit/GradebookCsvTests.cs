using CodeRunner.Classroom.Exercises;

namespace CodeRunner.Tests.Unit;

/// <summary>The gradebook as CSV: a header, RFC 4180 quoting, no formulas, any script.</summary>
public sealed class GradebookCsvTests
{
    private static readonly Guid Sum = Guid.NewGuid();
    private static readonly Guid Tricky = Guid.NewGuid();

    private static readonly Gradebook Book = new(
        [new ExerciseSummary(Sum, "Sum", true, null, 2, 5), new ExerciseSummary(Tricky, "Say \"hi\", twice", true, null, 1, 10)],
        [
            new GradebookRow(Guid.NewGuid(), "Zoë Ångström", [
                new GradebookCell(Sum, 5, 5, 2, new DateTimeOffset(2026, 3, 2, 10, 15, 0, TimeSpan.Zero), Guid.NewGuid(), false),
                new GradebookCell(Tricky, null, 10, 0, null, null, false)]),
            new GradebookRow(Guid.NewGuid(), "=HYPERLINK(\"http://x\")", [
                new GradebookCell(Sum, 0, 5, 1, new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(1)), Guid.NewGuid(), true),
                new GradebookCell(Tricky, 10, 10, 3, new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero), Guid.NewGuid(), false)]),
            new GradebookRow(Guid.NewGuid(), "Line\nbreak, -minus", [
                new GradebookCell(Sum, null, 5, 0, null, null, false), new GradebookCell(Tricky, null, 10, 0, null, null, false)]),
        ]);

    [Fact]
    public void Write_Header_NamesEachExercisesColumns()
    {
        Assert.Equal("Student,Sum score,Sum attempts,Sum last submitted,\"Say \"\"hi\"\", twice score\",\"Say \"\"hi\"\", twice attempts\",\"Say \"\"hi\"\", twice last submitted\"",
            Lines()[0]);
    }

    [Fact]
    public void Write_Student_ScoreAttemptsAndTimeInUtc()
    {
        Assert.Equal("Zoë Ångström,5 / 5,2,2026-03-02 10:15:00Z,,0,", Lines()[1]);
    }

    [Fact]
    public void Write_NameThatIsAFormula_GetsALeadingApostrophe()
    {
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\")\",0 / 5,1,2026-03-02 10:00:00Z,10 / 10,3,2026-03-02 12:00:00Z", Lines()[2]);
    }

    [Fact]
    public void Write_NewlineAndCommaInAName_AreQuotedInOneCell()
    {
        Assert.Equal("\"Line\nbreak, -minus\",,0,,,0,", Lines()[3]);
    }

    [Theory]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@SUM(A1)")]
    [InlineData("\t=1")]
    public void Write_AnyFormulaStart_IsDefused(string name)
    {
        var book = Book with { Rows = [Book.Rows[0] with { StudentName = name }] };
        var writer = new StringWriter();

        GradebookCsv.Write(book, writer);

        Assert.StartsWith("'", writer.ToString().Split("\r\n")[1].TrimStart('"'));
    }

    /// <summary>The rows, split at the CRLF that ends each (a newline inside a quoted cell is a bare LF).</summary>
    private static string[] Lines()
    {
        var writer = new StringWriter();
        GradebookCsv.Write(Book, writer);
        var text = writer.ToString();
        Assert.EndsWith("\r\n", text);
        return text[..^2].Split("\r\n");
    }
}
