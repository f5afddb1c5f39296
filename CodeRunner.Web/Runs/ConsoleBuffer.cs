namespace CodeRunner.Web.Runs;

/// <summary>
/// A console's entries: text split into lines, a line still being written kept open so that more text (or the
/// student's answer to a prompt) joins it, and at most <see cref="Capacity"/> entries, the oldest dropped first.
/// Not thread-safe: <see cref="RunConsole"/> guards it.
/// </summary>
public sealed class ConsoleBuffer(int capacity = ConsoleBuffer.DefaultCapacity)
{
    public const int DefaultCapacity = 2000;

    /// <summary>Longer lines are cut into several entries so that one runaway line cannot grow without bound.</summary>
    public const int MaxLineLength = 8192;

    private readonly RingBuffer<ConsoleLine> _lines = new(capacity);
    private readonly Dictionary<ConsoleKind, AnsiStyle> _styles = [];
    private long _next;

    public int Capacity => _lines.Capacity;

    public int Count => _lines.Count;

    public long Dropped => _lines.Dropped;

    public IReadOnlyList<ConsoleLine> Lines => _lines;

    public void Append(ConsoleKind kind, string text)
    {
        var pieces = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < pieces.Length; i++)
        {
            var last = i == pieces.Length - 1;
            if (last && pieces[i].Length == 0)
            {
                break; // the text ended with a newline
            }

            AppendPiece(kind, pieces[i], open: last);
        }
    }

    /// <summary>Adds a whole line of its own, closing any line still being written.</summary>
    public void AppendLine(ConsoleKind kind, string text)
    {
        CloseOpenLine();
        Append(kind, text + "\n");
    }

    public void Clear()
    {
        _lines.Clear();
        _styles.Clear();
    }

    public ConsoleLine[] Snapshot() => _lines.ToArray();

    private void AppendPiece(ConsoleKind kind, string piece, bool open)
    {
        do
        {
            var current = OpenLine();
            var room = MaxLineLength - (current?.Length ?? 0);
            var take = Math.Min(room, piece.Length);
            var rest = piece[take..];
            var staysOpen = open && rest.Length == 0;
            var chunk = piece[..take];
            var style = _styles.GetValueOrDefault(kind, AnsiStyle.Plain);
            if (current is null)
            {
                _lines.Add(new ConsoleLine(_next++, [new ConsoleSpan(kind, chunk, style)], staysOpen));
            }
            else
            {
                _lines.ReplaceLast(current.Append(kind, chunk, staysOpen, style));
            }

            _styles[kind] = AnsiText.EndStyle(chunk, style);

            piece = rest;
        }
        while (piece.Length > 0);
    }

    private ConsoleLine? OpenLine() => _lines.Count > 0 && _lines[^1] is { Open: true } line ? line : null;

    private void CloseOpenLine()
    {
        if (OpenLine() is { } line)
        {
            _lines.ReplaceLast(line with { Open = false });
        }
    }
}
