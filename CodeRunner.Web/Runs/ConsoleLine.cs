namespace CodeRunner.Web.Runs;

/// <summary>What produced a piece of console text.</summary>
public enum ConsoleKind
{
    Stdout,
    Stderr,

    /// <summary>A message of CodeRunner or the engine, such as "compiling…".</summary>
    System,

    /// <summary>What the student typed, echoed.</summary>
    Stdin,

    /// <summary>A problem that stopped a run from starting.</summary>
    Error,
}

/// <summary>A piece of a line with one kind, and the ANSI style in effect where it starts (colours carry across lines).</summary>
public sealed record ConsoleSpan(ConsoleKind Kind, string Text, AnsiStyle? Start = null);

/// <summary>
/// One entry of a console: a line, or the start of one still being written (<see cref="Open"/>), such as a prompt
/// printed without a newline. Immutable, so that a render can read a snapshot while output arrives.
/// </summary>
/// <remarks>
/// The text is kept as one string with the offsets where its spans start, rather than as a string per span: a line
/// that alternates stdout and stderr character by character then costs a few bytes per character, not an object
/// and a string each. <see cref="Spans"/> makes the pieces when a render asks for them.
/// </remarks>
public sealed class ConsoleLine
{
    private readonly SpanStart[] _starts;

    internal ConsoleLine(long number, string text, SpanStart[] starts, bool open)
    {
        Number = number;
        Text = text;
        _starts = starts;
        Open = open;
    }

    /// <summary>An entry that is an image the program showed (a PNG), with no text.</summary>
    internal static ConsoleLine ForImage(long number, ReadOnlyMemory<byte> png) => new(number, "", [], open: false) { Image = png };

    public long Number { get; }

    /// <summary>The PNG of an image entry; empty for a line of text.</summary>
    public ReadOnlyMemory<byte> Image { get; private init; }

    public bool IsImage => !Image.IsEmpty;

    /// <summary>The image as a data: URL, made on the first render that asks and kept, since an entry never changes.</summary>
    public string ImageUrl => _imageUrl ??= "data:image/png;base64," + Convert.ToBase64String(Image.Span);

    private string? _imageUrl;

    public string Text { get; }

    public bool Open { get; }

    public int Length => Text.Length;

    public ConsoleKind Kind => _starts.Length > 0 ? _starts[0].Kind : ConsoleKind.Stdout;

    public IReadOnlyList<ConsoleSpan> Spans
    {
        get
        {
            var spans = new ConsoleSpan[_starts.Length];
            for (var i = 0; i < spans.Length; i++)
            {
                var start = _starts[i];
                var end = i + 1 < _starts.Length ? _starts[i + 1].Offset : Text.Length;
                spans[i] = new ConsoleSpan(start.Kind, Text[start.Offset..end], start.Style);
            }

            return spans;
        }
    }
}

/// <summary>Where a span of a line starts, its kind and the ANSI style in effect there.</summary>
internal readonly record struct SpanStart(int Offset, ConsoleKind Kind, AnsiStyle? Style);
