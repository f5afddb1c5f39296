namespace CodeRunner.Web.Runs;

/// <summary>
/// The line a console is still writing: text is appended in place, so that a piece costs its own length however long
/// the line already is, and <see cref="ToLine"/> hands out an immutable copy when the line is shown or closes.
/// </summary>
internal sealed class ConsoleLineBuilder
{
    private readonly List<SpanStart> _starts = [];
    private char[] _text = new char[64];

    public long Number { get; private set; }

    public int Length { get; private set; }

    public void Start(long number)
    {
        Number = number;
        Length = 0;
        _starts.Clear();
    }

    /// <summary>Adds text of a kind: to the last span when that has the same kind, else as a span starting in <paramref name="style"/>.</summary>
    public void Append(ConsoleKind kind, ReadOnlySpan<char> text, AnsiStyle style)
    {
        if (_starts.Count == 0 || _starts[^1].Kind != kind)
        {
            _starts.Add(new SpanStart(Length, kind, style));
        }

        if (Length + text.Length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, Length + text.Length));
        }

        text.CopyTo(_text.AsSpan(Length));
        Length += text.Length;
    }

    public ConsoleLine ToLine(bool open) => new(Number, new string(_text, 0, Length), [.. _starts], open);
}
