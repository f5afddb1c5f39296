using System.Globalization;

namespace CodeRunner.Classroom.Exercises;

/// <summary>The gradebook as CSV for a spreadsheet.</summary>
public static class GradebookCsv
{
    /// <summary>
    /// Writes a header row (<c>Student</c>, then each exercise's score, attempts and last submission) and a row per
    /// student, quoted as RFC 4180 says, with CRLF between rows. A text that a spreadsheet would take for a formula
    /// (starting with = + - @, a tab or a carriage return) gets a leading apostrophe. Scores are "7 / 10", times ISO 8601
    /// in UTC. The caller chooses the encoding: UTF-8 with a byte-order mark, so that spreadsheets read accents right.
    /// </summary>
    public static void Write(Gradebook book, TextWriter writer)
    {
        WriteRow(writer, ["Student", .. book.Exercises.SelectMany(e =>
            new[] { $"{e.Title} score", $"{e.Title} attempts", $"{e.Title} last submitted" })]);
        foreach (var row in book.Rows)
        {
            WriteRow(writer, [row.StudentName, .. row.Cells.SelectMany(c => new[]
            {
                c.BestScore is { } best ? $"{best} / {c.MaxScore}" : "",
                c.Attempts.ToString(CultureInfo.InvariantCulture),
                c.LastSubmittedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
            })]);
        }
    }

    private static void WriteRow(TextWriter writer, IEnumerable<string> cells)
    {
        writer.Write(string.Join(',', cells.Select(Cell)));
        writer.Write("\r\n");
    }

    private static string Cell(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
