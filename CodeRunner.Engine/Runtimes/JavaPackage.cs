using System.Buffers;
using System.Text;

namespace CodeRunner.Engine.Runtimes;

/// <summary>Reads the package a Java source declares, looking no further than where the declaration must be.</summary>
internal static class JavaPackage
{
    /// <summary>Java's white space: space, tab, form feed and line ends.</summary>
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\f\r\n"u8);

    /// <summary>What matters inside an annotation's arguments: parentheses, and what can hide one.</summary>
    private static readonly SearchValues<byte> InArguments = SearchValues.Create("()\"'/"u8);

    /// <summary>ASCII letters, digits, _ and $, and every byte of a multi-byte UTF-8 character (Java allows letters).</summary>
    private static readonly SearchValues<byte> IdentifierBytes =
        SearchValues.Create([.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$"u8, .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>
    /// The name in the source's (UTF-8) <c>package</c> declaration, or null when it has none. Only comments and
    /// annotations may come before that declaration, so reading stops at the first other token: one pass over what
    /// precedes it, whatever the rest of the file holds.
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> source)
    {
        var i = SkipTrivia(source, source.StartsWith("\uFEFF"u8) ? 3 : 0);
        while (i < source.Length && source[i] == '@')
        {
            i = SkipAnnotation(source, i + 1);
        }

        if (!source[i..].StartsWith("package"u8) || IdentifierLength(source, i) != "package".Length)
        {
            return null;
        }

        var name = new StringBuilder();
        i += "package".Length;
        while (true)
        {
            i = SkipTrivia(source, i);
            var length = IdentifierLength(source, i);
            if (length == 0)
            {
                return null;
            }

            name.Append(Encoding.UTF8.GetString(source.Slice(i, length)));
            i = SkipTrivia(source, i + length);
            if (i < source.Length && source[i] == ';')
            {
                return name.ToString();
            }

            if (i >= source.Length || source[i] != '.')
            {
                return null;
            }

            name.Append('.');
            i++;
        }
    }

    /// <summary>Skips an annotation's qualified name and its arguments, such as <c>@Deprecated(since = "1.2")</c>.</summary>
    private static int SkipAnnotation(ReadOnlySpan<byte> source, int i)
    {
        while (true)
        {
            i = SkipTrivia(source, i);
            i = SkipTrivia(source, i + IdentifierLength(source, i));
            if (i >= source.Length || source[i] != '.')
            {
                break;
            }

            i++;
        }

        if (i >= source.Length || source[i] != '(')
        {
            return i;
        }

        var depth = 0;
        while (i < source.Length)
        {
            var found = source[i..].IndexOfAny(InArguments);
            if (found < 0)
            {
                return source.Length;
            }

            i += found;
            if (source[i] is (byte)'"' or (byte)'\'')
            {
                i = SkipLiteral(source, i);
            }
            else if (source[i] == '/')
            {
                // A comment, or a division in a constant expression.
                i = Math.Max(i + 1, SkipTrivia(source, i));
            }
            else
            {
                depth += source[i] == '(' ? 1 : -1;
                i++;
                if (depth == 0)
                {
                    return SkipTrivia(source, i);
                }
            }
        }

        return i;
    }

    /// <summary>Skips a string, a text block or a character literal.</summary>
    private static int SkipLiteral(ReadOnlySpan<byte> source, int i)
    {
        var quote = source[i];
        var textBlock = source[i..].StartsWith("\"\"\""u8);
        i += textBlock ? 3 : 1;
        while (i < source.Length)
        {
            var found = source[i..].IndexOfAny(quote, (byte)'\\', (byte)'\n');
            if (found < 0)
            {
                return source.Length;
            }

            i += found;
            if (source[i] == '\\')
            {
                i += 2;
            }
            else if (source[i] == '\n' && !textBlock)
            {
                return i;
            }
            else if (source[i] == quote && (!textBlock || source[i..].StartsWith("\"\"\""u8)))
            {
                return i + (textBlock ? 3 : 1);
            }
            else
            {
                i++;
            }
        }

        return source.Length;
    }

    /// <summary>Skips white space and comments.</summary>
    private static int SkipTrivia(ReadOnlySpan<byte> source, int i)
    {
        while (i < source.Length)
        {
            var rest = source[i..];
            var end = rest.IndexOfAnyExcept(Blanks);
            if (end != 0)
            {
                i = end < 0 ? source.Length : i + end;
            }
            else if (rest.StartsWith("//"u8))
            {
                end = rest.IndexOf((byte)'\n');
                i = end < 0 ? source.Length : i + end + 1;
            }
            else if (rest.StartsWith("/*"u8))
            {
                end = rest[2..].IndexOf("*/"u8);
                i = end < 0 ? source.Length : i + 2 + end + 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The length of the identifier at the position, 0 when none starts there.</summary>
    private static int IdentifierLength(ReadOnlySpan<byte> source, int i)
    {
        if (i >= source.Length || !IdentifierBytes.Contains(source[i]) || char.IsAsciiDigit((char)source[i]))
        {
            return 0;
        }

        var length = source[i..].IndexOfAnyExcept(IdentifierBytes);
        return length < 0 ? source.Length - i : length;
    }
}
