using System.Text;

namespace CodeRunner.Engine.Sql;

/// <summary>What a statement prints, in psql's default ("aligned") format.</summary>
internal static class SqlOutput
{
    /// <summary>PostgreSQL's types whose values psql aligns to the right.</summary>
    private static readonly HashSet<string> NumericTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "smallint", "integer", "bigint", "numeric", "real", "double precision", "oid", "money",
        "int2", "int4", "int8", "float4", "float8",
    };

    /// <summary>
    /// A result as psql shows it: centred headers, a rule, one line per row (numbers to the right, the rest to the left,
    /// null as nothing), then "(n rows)". With <paramref name="more"/>, the rows shown are the first of a longer result.
    /// </summary>
    public static string Table(IReadOnlyList<string> names, IReadOnlyList<string> types, IReadOnlyList<string?[]> rows, bool more)
    {
        var count = names.Count;
        var widths = new int[count];
        var right = new bool[count];
        for (var c = 0; c < count; c++)
        {
            right[c] = NumericTypes.Contains(types[c]);
            widths[c] = names[c].Length;
            foreach (var row in rows)
            {
                widths[c] = Math.Max(widths[c], Cell(row[c]).Length);
            }
        }

        var text = new StringBuilder();
        Line(text, count, c => Centre(names[c], widths[c]));
        text.AppendJoin('+', widths.Select(w => new string('-', w + 2))).Append('\n');
        foreach (var row in rows)
        {
            Line(text, count, c => right[c] ? Cell(row[c]).PadLeft(widths[c]) : Cell(row[c]).PadRight(widths[c]));
        }

        text.Append(more
            ? $"(the first {rows.Count} rows; the result has more, which are not shown)\n"
            : rows.Count == 1 ? "(1 row)\n" : $"({rows.Count} rows)\n");
        return text.Append('\n').ToString();
    }

    /// <summary>
    /// The command tag psql prints for a statement that returns no rows, such as <c>CREATE TABLE</c>, <c>INSERT 0 2</c> or
    /// <c>UPDATE 1</c>: the statement's leading keywords, with the count of rows it touched (-1 for none) where the
    /// server's tag has one.
    /// </summary>
    public static string CommandTag(string statement, int rows)
    {
        var tag = LeadingKeywords(statement);
        if (rows < 0)
        {
            return tag;
        }

        return tag switch
        {
            "INSERT" => $"INSERT 0 {rows}",
            "UPDATE" or "DELETE" or "MERGE" or "SELECT" or "MOVE" or "FETCH" or "COPY" => $"{tag} {rows}",
            _ when tag.StartsWith("CREATE ", StringComparison.Ordinal) => $"SELECT {rows}", // CREATE TABLE ... AS
            _ => tag,
        };
    }

    /// <summary>An error as psql shows it, with the file, line and column, and the line with a caret under the place.</summary>
    public static string Error(string file, string script, SqlStatement statement, string severity, string message, int position,
        string? detail, string? hint)
    {
        var offset = statement.Offset + Math.Max(0, position - 1);
        var (line, column) = SqlScript.LineAndColumn(script, position > 0 ? offset : statement.Offset);
        var text = new StringBuilder($"{file}:{line}:{(position > 0 ? $"{column}:" : "")} {severity}:  {message}\n");
        if (position > 0)
        {
            var lineStart = offset - (column - 1);
            var lineEnd = script.IndexOf('\n', lineStart);
            var source = script[lineStart..(lineEnd < 0 ? script.Length : lineEnd)].TrimEnd('\r');
            var prefix = $"LINE {line}: ";
            text.Append(prefix).Append(source).Append('\n');
            text.Append(' ', prefix.Length + column - 1).Append("^\n");
        }

        if (!string.IsNullOrEmpty(detail))
        {
            text.Append("DETAIL:  ").Append(detail).Append('\n');
        }

        if (!string.IsNullOrEmpty(hint))
        {
            text.Append("HINT:  ").Append(hint).Append('\n');
        }

        return text.ToString();
    }

    private static readonly string[] Modifiers =
        ["OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "GLOBAL", "LOCAL", "RECURSIVE", "TRUSTED", "PROCEDURAL", "DEFAULT", "CONSTRAINT"];

    private static readonly HashSet<string> TakesObject = new(StringComparer.OrdinalIgnoreCase) { "CREATE", "DROP", "ALTER", "COMMENT" };

    private static string LeadingKeywords(string statement)
    {
        var words = statement.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.TakeWhile(char.IsLetter).ToArray()).ToUpperInvariant())
            .TakeWhile(w => w.Length > 0)
            .ToList();
        if (words.Count == 0)
        {
            return "";
        }

        var first = words[0] switch
        {
            "END" => "COMMIT",
            "ABORT" => "ROLLBACK",
            _ => words[0],
        };
        if (first is "START" && words.Count > 1)
        {
            return "START TRANSACTION";
        }

        if (first is "TRUNCATE")
        {
            return "TRUNCATE TABLE";
        }

        if (!TakesObject.Contains(first))
        {
            return first;
        }

        var rest = words.Skip(first == "COMMENT" ? 0 : 1).SkipWhile(w => Modifiers.Contains(w)).ToList();
        if (first == "COMMENT")
        {
            return "COMMENT";
        }

        return rest.Count switch
        {
            0 => first,
            _ when rest[0] is "MATERIALIZED" or "FOREIGN" or "EVENT" && rest.Count > 1 => $"{first} {rest[0]} {rest[1]}",
            _ => $"{first} {rest[0]}",
        };
    }

    private static void Line(StringBuilder text, int count, Func<int, string> cell)
    {
        var line = new StringBuilder(" ");
        for (var c = 0; c < count; c++)
        {
            line.Append(cell(c));
            line.Append(c < count - 1 ? " | " : " ");
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    /// <summary>A value on one line: psql marks a line break inside a value; here it stands as ↵.</summary>
    private static string Cell(string? value) => value is null ? "" : value.Replace("\r\n", "↵").Replace('\n', '↵');

    private static string Centre(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }
}
