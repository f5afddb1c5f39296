namespace CodeRunner.Classroom.Exercises;

/// <summary>The gradebook as CSV for a spreadsheet.</summary>
public static class GradebookCsv
{
    /// <summary>
    /// Writes the header and a row per student (RFC 4180). The caller chooses the encoding: UTF-8 with a byte-order mark,
    /// so that spreadsheets read names with accents right.
    /// </summary>
    public static void Write(Gradebook book, TextWriter writer) => throw new NotImplementedException();
}
