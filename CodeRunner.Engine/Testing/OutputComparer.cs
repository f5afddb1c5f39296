using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CodeRunner.Engine.Testing;

/// <summary>Whether an output matched, and where it first differed when it did not.</summary>
public readonly record struct ComparisonResult(bool Matches, string? Difference)
{
    public static readonly ComparisonResult Match = new(true, null);

    public static ComparisonResult Differs(string difference) => new(false, difference);
}

/// <summary>
/// Compares a program's output with a case's expected output, in one of the <see cref="ComparisonMode"/>s. Text is
/// compared as UTF-16 code units, with no Unicode normalisation (the engine runs with invariant globalization): "é"
/// typed as one character and as "e" with a combining accent differ, as they do in Judge0. Pure and bounded: the caller caps the output it keeps (see <see cref="TestRunLimits.MaxComparedBytes"/>), and a regular
/// expression runs under a timeout.
/// </summary>
public static class OutputComparer
{
    /// <summary>How long a <see cref="ComparisonMode.Regex"/> match may take before the case fails, saying so.</summary>
    public static readonly TimeSpan DefaultRegexTimeout = TimeSpan.FromSeconds(2);

    private const int Snippet = 40;

    public static ComparisonResult Compare(string expected, string actual, OutputComparison? comparison = null, TimeSpan? regexTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        comparison ??= new OutputComparison();
        return comparison.Mode switch
        {
            ComparisonMode.Exact => Exact(expected, actual),
            ComparisonMode.TrimTrailing => Lines(expected, actual),
            ComparisonMode.Tokens => Tokens(expected, actual, null),
            ComparisonMode.Numbers => Tokens(expected, actual, comparison),
            ComparisonMode.Regex => Pattern(expected, actual, regexTimeout ?? DefaultRegexTimeout),
            _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison.Mode, "Unknown comparison mode."),
        };
    }

    private static ComparisonResult Exact(string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return ComparisonResult.Match;
        }

        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var line = 1 + expected.AsSpan(0, at).Count('\n');
        var lineStart = at == 0 ? 0 : expected.LastIndexOf('\n', at - 1) + 1;
        var column = at - lineStart + 1;
        var where = $"first difference at line {line}, column {column}";
        return ComparisonResult.Differs(at == actual.Length
            ? $"{where}: the output ends there, and more was expected ({Quote(expected[at..])})"
            : at == expected.Length
                ? $"{where}: the output goes on after the expected end ({Quote(actual[at..])})"
                : $"{where}: expected {Quote(expected[at..])}, got {Quote(actual[at..])}");
    }

    /// <summary>Line by line, with CRLF as LF, trailing white space on each line and trailing empty lines ignored.</summary>
    private static ComparisonResult Lines(string expected, string actual)
    {
        var e = NormalisedLines(expected);
        var a = NormalisedLines(actual);
        for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            if (i >= a.Count)
            {
                return ComparisonResult.Differs($"first difference at line {i + 1}: the output has {a.Count} lines, {e.Count} were expected; expected {Quote(e[i])}");
            }

            if (i >= e.Count)
            {
                return ComparisonResult.Differs($"first difference at line {i + 1}: the output has {a.Count} lines, {e.Count} were expected; got {Quote(a[i])}");
            }

            if (!string.Equals(e[i], a[i], StringComparison.Ordinal))
            {
                return ComparisonResult.Differs($"first difference at line {i + 1}: expected {Quote(e[i])}, got {Quote(a[i])}");
            }
        }

        return ComparisonResult.Match;
    }

    private static List<string> NormalisedLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>Word by word, whatever white space separates them; with a comparison, numbers within its tolerances are equal.</summary>
    private static ComparisonResult Tokens(string expected, string actual, OutputComparison? numbers)
    {
        var e = Split(expected);
        var a = Split(actual);
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            if (string.Equals(e[i], a[i], StringComparison.Ordinal))
            {
                continue;
            }

            if (numbers is not null && Number(e[i]) is { } x && Number(a[i]) is { } y)
            {
                if (Close(x, y, numbers))
                {
                    continue;
                }

                return ComparisonResult.Differs(string.Create(CultureInfo.InvariantCulture,
                    $"word {i + 1}: expected {e[i]}, got {a[i]} (off by {Math.Abs(x - y):G6}; the tolerance is {numbers.AbsoluteTolerance:G6} absolute or {numbers.RelativeTolerance:G6} relative)"));
            }

            return ComparisonResult.Differs($"word {i + 1}: expected {Quote(e[i])}, got {Quote(a[i])}");
        }

        return e.Length == a.Length
            ? ComparisonResult.Match
            : ComparisonResult.Differs(e.Length > a.Length
                ? $"the output has {a.Length} words, {e.Length} were expected; word {a.Length + 1} should be {Quote(e[a.Length])}"
                : $"the output has {a.Length} words, {e.Length} were expected; word {e.Length + 1} is {Quote(a[e.Length])}");
    }

    private static string[] Split(string text)
    {
        var words = new List<string>();
        var normalised = text;
        var start = -1;
        for (var i = 0; i <= normalised.Length; i++)
        {
            var space = i == normalised.Length || char.IsWhiteSpace(normalised[i]);
            if (!space && start < 0)
            {
                start = i;
            }
            else if (space && start >= 0)
            {
                words.Add(normalised[start..i]);
                start = -1;
            }
        }

        return [.. words];
    }

    /// <summary>A number as Python, C or Java print it, "inf", "-Infinity" and "nan" included.</summary>
    private static double? Number(string word) => word.ToLowerInvariant() switch
    {
        "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" or "+nan" or "-nan" => double.NaN,
        _ => double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static bool Close(double expected, double actual, OutputComparison tolerance)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected.Equals(actual);
        }

        // -0.0 and 0 differ by nothing, so they are equal here.
        var difference = Math.Abs(expected - actual);
        return difference <= tolerance.AbsoluteTolerance || difference <= tolerance.RelativeTolerance * Math.Abs(expected);
    }

    /// <summary>
    /// The expected output is the pattern, and it must match the whole output, with CRLF as LF and without the trailing
    /// white space (the final newline) that nearly every program prints.
    /// </summary>
    private static ComparisonResult Pattern(string pattern, string actual, TimeSpan timeout)
    {
        Regex regex;
        try
        {
            regex = new Regex($"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant, timeout);
        }
        catch (ArgumentException ex)
        {
            return ComparisonResult.Differs($"the expected output is not a valid regular expression: {ex.Message}");
        }

        var text = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        try
        {
            return regex.IsMatch(text)
                ? ComparisonResult.Match
                : ComparisonResult.Differs($"the output does not match the pattern {Quote(pattern)}");
        }
        catch (RegexMatchTimeoutException)
        {
            return ComparisonResult.Differs(string.Create(CultureInfo.InvariantCulture,
                $"the pattern took longer than {timeout.TotalSeconds:0.##} s to match this output, so the case fails; the teacher should simplify the pattern (nested repetitions such as (a+)+ are slow)"));
        }
    }

    /// <summary>The start of a text, quoted, with control characters shown, so that a message stays one short line.</summary>
    private static string Quote(string text)
    {
        var cut = text.Length > Snippet ? text[..Snippet] : text;
        var shown = new StringBuilder(cut.Length + 8).Append('"');
        foreach (var c in cut)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return shown.Append(text.Length > Snippet ? "…\"" : "\"").ToString();
    }
}
