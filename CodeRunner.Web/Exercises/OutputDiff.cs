using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace CodeRunner.Web.Exercises;

/// <summary>One row of a side-by-side diff: the expected line and the actual line, either of which may be missing.</summary>
public sealed record DiffRow(int? ExpectedNumber, string? Expected, int? ActualNumber, string? Actual, DiffRowKind Kind);

public enum DiffRowKind
{
    Same,
    Changed,
    OnlyExpected,
    OnlyActual,
}

/// <summary>A side-by-side diff of expected and actual output (DiffPlex), with at most <see cref="MaxRows"/> rows.</summary>
public sealed record OutputDiff(IReadOnlyList<DiffRow> Rows, int HiddenRows)
{
    public const int MaxRows = 400;

    public static OutputDiff Of(string expected, string actual)
    {
        var model = SideBySideDiffBuilder.Diff(Normalize(expected), Normalize(actual), ignoreWhiteSpace: false, ignoreCase: false);
        var rows = new List<DiffRow>();
        var total = Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count);
        for (var i = 0; i < total && rows.Count < MaxRows; i++)
        {
            var left = i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null;
            var right = i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null;
            var hasLeft = left is { Type: not ChangeType.Imaginary };
            var hasRight = right is { Type: not ChangeType.Imaginary };
            var kind = (hasLeft, hasRight) switch
            {
                (true, false) => DiffRowKind.OnlyExpected,
                (false, true) => DiffRowKind.OnlyActual,
                _ when left!.Type == ChangeType.Unchanged && right!.Type == ChangeType.Unchanged => DiffRowKind.Same,
                _ => DiffRowKind.Changed,
            };
            rows.Add(new DiffRow(hasLeft ? left!.Position : null, hasLeft ? left!.Text : null,
                hasRight ? right!.Position : null, hasRight ? right!.Text : null, kind));
        }

        return new OutputDiff(rows, total - rows.Count);
    }

    /// <summary>Line ends as "\n", so that a program's "\r\n" shows as the same line rather than as every line changed.</summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
