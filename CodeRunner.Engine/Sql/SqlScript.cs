namespace CodeRunner.Engine.Sql;

/// <summary>One statement of a script: its text, and where it starts in the file.</summary>
internal sealed record SqlStatement(string Text, int Offset)
{
    /// <summary>A psql backslash command (such as <c>\!</c> or <c>\c</c>), which a run refuses.</summary>
    public bool IsMetaCommand => Text.StartsWith('\\');
}

/// <summary>
/// Splits a script into statements the way psql does: at each <c>;</c> outside strings, quoted names, dollar-quoted
/// bodies and comments. A line that starts with a backslash is a psql meta-command, a statement of its own. Linear in
/// the script's length.
/// </summary>
internal static class SqlScript
{
    public static List<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        var start = -1; // where the current statement's first meaningful character is
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '-' && At(script, i, "--"))
            {
                i = EndOfLine(script, i);
                continue;
            }

            if (c == '/' && At(script, i, "/*"))
            {
                i = EndOfBlockComment(script, i);
                continue;
            }

            if (c == '\\' && start < 0 && AtLineStart(script, i))
            {
                var end = EndOfLine(script, i);
                statements.Add(new SqlStatement(script[i..end].TrimEnd(), i));
                i = end;
                continue;
            }

            if (start < 0)
            {
                start = i;
            }

            switch (c)
            {
                case ';':
                    Add(statements, script, start, i);
                    start = -1;
                    i++;
                    break;
                case '\'':
                    var escapes = i > 0 && script[i - 1] is 'E' or 'e' && (i < 2 || !IsIdentifierPart(script[i - 2]));
                    i = EndOfQuoted(script, i, '\'', escapes);
                    break;
                case '"':
                    i = EndOfQuoted(script, i, '"', backslashEscapes: false);
                    break;
                case '$' when DollarTag(script, i) is { } tag:
                    var close = script.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                    i = close < 0 ? script.Length : close + tag.Length;
                    break;
                default:
                    i = IsIdentifierPart(c) ? SkipIdentifier(script, i) : i + 1;
                    break;
            }
        }

        if (start >= 0)
        {
            Add(statements, script, start, script.Length);
        }

        return statements;
    }

    /// <summary>The 1-based line and column of an offset.</summary>
    public static (int Line, int Column) LineAndColumn(string script, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < script.Length; i++)
        {
            if (script[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private static void Add(List<SqlStatement> statements, string script, int start, int end) =>
        statements.Add(new SqlStatement(script[start..end].TrimEnd(), start));

    private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;

    private static bool AtLineStart(string s, int i)
    {
        for (var j = i - 1; j >= 0 && s[j] != '\n'; j--)
        {
            if (!char.IsWhiteSpace(s[j]))
            {
                return false;
            }
        }

        return true;
    }

    private static int EndOfLine(string s, int i)
    {
        var end = s.IndexOf('\n', i);
        return end < 0 ? s.Length : end;
    }

    /// <summary>PostgreSQL's block comments nest.</summary>
    private static int EndOfBlockComment(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (At(s, i, "/*"))
            {
                depth++;
                i += 2;
            }
            else if (At(s, i, "*/"))
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    /// <summary>Past the closing quote; a doubled quote stands for itself, and in E'' strings so does a backslash pair.</summary>
    private static int EndOfQuoted(string s, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                if (i + 1 < s.Length && s[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    /// <summary><c>$$</c> or <c>$tag$</c> at <paramref name="i"/>, unless the <c>$</c> ends a name or a parameter such as <c>$1</c>.</summary>
    private static string? DollarTag(string s, int i)
    {
        if (i > 0 && IsIdentifierPart(s[i - 1]))
        {
            return null;
        }

        var j = i + 1;
        if (j < s.Length && char.IsAsciiDigit(s[j]))
        {
            return null;
        }

        while (j < s.Length && IsIdentifierPart(s[j]) && s[j] != '$')
        {
            j++;
        }

        return j < s.Length && s[j] == '$' ? s[i..(j + 1)] : null;
    }

    private static int SkipIdentifier(string s, int i)
    {
        while (i < s.Length && IsIdentifierPart(s[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
