using System.Text;

namespace CodeRunner.Web.Runs;

/// <summary>A run of text with one look: colours are 0–15 (the terminal palette) or a CSS colour for 256 and true colour.</summary>
public sealed record AnsiSegment(string Text, AnsiStyle Style);

/// <summary>The SGR state of a segment.</summary>
public sealed record AnsiStyle(string? Foreground = null, string? Background = null, bool Bold = false, bool Dim = false, bool Italic = false, bool Underline = false)
{
    public static readonly AnsiStyle Plain = new();

    /// <summary>CSS classes for palette colours and attributes.</summary>
    public string CssClass
    {
        get
        {
            var classes = new List<string>();
            if (Foreground is { } fg && !fg.StartsWith('#'))
            {
                classes.Add("ansi-fg-" + fg);
            }

            if (Background is { } bg && !bg.StartsWith('#'))
            {
                classes.Add("ansi-bg-" + bg);
            }

            if (Bold)
            {
                classes.Add("ansi-bold");
            }

            if (Dim)
            {
                classes.Add("ansi-dim");
            }

            if (Italic)
            {
                classes.Add("ansi-italic");
            }

            if (Underline)
            {
                classes.Add("ansi-underline");
            }

            return string.Join(' ', classes);
        }
    }

    /// <summary>Inline CSS for 256-colour and true-colour values, which have no class.</summary>
    public string? CssStyle =>
        (Foreground?.StartsWith('#') == true ? $"color:{Foreground};" : "") + (Background?.StartsWith('#') == true ? $"background-color:{Background};" : "")
        is { Length: > 0 } style ? style : null;
}

/// <summary>Splits text with ANSI escape sequences into styled segments; other control sequences are removed.</summary>
public static class AnsiText
{
    public static IReadOnlyList<AnsiSegment> Parse(string text, AnsiStyle? start = null) => Parse(text, start, out _);

    /// <summary>The style in effect after <paramref name="text"/>, for the text that follows it (on the next line, say).</summary>
    public static AnsiStyle EndStyle(string text, AnsiStyle start)
    {
        if (!text.Contains('\u001b'))
        {
            return start; // most output: no list to build for every piece that streams in
        }

        Parse(text, start, out var end);
        return end;
    }

    private static IReadOnlyList<AnsiSegment> Parse(string text, AnsiStyle? start, out AnsiStyle endStyle)
    {
        var segments = new List<AnsiSegment>();
        var style = start ?? AnsiStyle.Plain;
        if (!text.Contains('\u001b'))
        {
            endStyle = style;
            return [new AnsiSegment(text, style)];
        }

        var plain = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '\u001b')
            {
                plain.Append(text[i++]);
                continue;
            }

            var end = SequenceEnd(text, i);
            if (end < 0)
            {
                break; // an unfinished sequence at the end: drop it
            }

            if (text[i + 1] == '[' && text[end] == 'm')
            {
                Flush(segments, plain, style);
                style = Apply(style, text[(i + 2)..end]);
            }

            i = end + 1;
        }

        Flush(segments, plain, style);
        endStyle = style;
        return segments;
    }

    /// <summary>The index of the last character of the escape sequence at <paramref name="start"/>, or -1.</summary>
    private static int SequenceEnd(string text, int start)
    {
        if (start + 1 >= text.Length)
        {
            return -1;
        }

        if (text[start + 1] != '[')
        {
            return start + 1; // a two-character escape such as ESC c
        }

        for (var j = start + 2; j < text.Length; j++)
        {
            if (text[j] is >= '@' and <= '~')
            {
                return j;
            }
        }

        return -1;
    }

    private static void Flush(List<AnsiSegment> segments, StringBuilder plain, AnsiStyle style)
    {
        if (plain.Length > 0)
        {
            segments.Add(new AnsiSegment(plain.ToString(), style));
            plain.Clear();
        }
    }

    private static AnsiStyle Apply(AnsiStyle style, string parameters)
    {
        var codes = parameters.Length == 0 ? [0] : parameters.Split(';').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        for (var k = 0; k < codes.Length; k++)
        {
            var code = codes[k];
            style = code switch
            {
                0 => AnsiStyle.Plain,
                1 => style with { Bold = true },
                2 => style with { Dim = true },
                3 => style with { Italic = true },
                4 => style with { Underline = true },
                22 => style with { Bold = false, Dim = false },
                23 => style with { Italic = false },
                24 => style with { Underline = false },
                >= 30 and <= 37 => style with { Foreground = (code - 30).ToString() },
                >= 90 and <= 97 => style with { Foreground = (code - 90 + 8).ToString() },
                39 => style with { Foreground = null },
                >= 40 and <= 47 => style with { Background = (code - 40).ToString() },
                >= 100 and <= 107 => style with { Background = (code - 100 + 8).ToString() },
                49 => style with { Background = null },
                38 or 48 => Extended(style, code == 38, codes, ref k),
                _ => style,
            };
        }

        return style;
    }

    /// <summary>38;5;n and 38;2;r;g;b (48 for the background).</summary>
    private static AnsiStyle Extended(AnsiStyle style, bool foreground, int[] codes, ref int k)
    {
        string? colour = null;
        if (k + 2 < codes.Length && codes[k + 1] == 5)
        {
            colour = Palette256(codes[k + 2]);
            k += 2;
        }
        else if (k + 4 < codes.Length && codes[k + 1] == 2)
        {
            colour = $"#{Math.Clamp(codes[k + 2], 0, 255):x2}{Math.Clamp(codes[k + 3], 0, 255):x2}{Math.Clamp(codes[k + 4], 0, 255):x2}";
            k += 4;
        }

        return colour is null ? style : foreground ? style with { Foreground = colour } : style with { Background = colour };
    }

    private static string Palette256(int n)
    {
        if (n < 16)
        {
            return Math.Max(n, 0).ToString();
        }

        if (n >= 232)
        {
            var grey = 8 + (Math.Min(n, 255) - 232) * 10;
            return $"#{grey:x2}{grey:x2}{grey:x2}";
        }

        n -= 16;
        static int Level(int v) => v == 0 ? 0 : 55 + v * 40;
        return $"#{Level(n / 36):x2}{Level(n / 6 % 6):x2}{Level(n % 6):x2}";
    }
}
