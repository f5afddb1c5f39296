namespace CodeRunner.Web.Runs;

/// <summary>
/// A console's entries: text split into lines, a line still being written kept open so that more text (or the
/// student's answer to a prompt) joins it, and at most <see cref="Capacity"/> entries, the oldest dropped first.
/// Not thread-safe: <see cref="RunConsole"/> guards it.
/// </summary>
/// <remarks>
/// The open line grows in a <see cref="ConsoleLineBuilder"/>, and its entry in the ring is brought up to date only
/// when the entries are read (once per rendered batch) or the line closes: a program that prints a long line a
/// character at a time, or alternates stdout and stderr, costs time and memory in proportion to its output.
/// </remarks>
public sealed class ConsoleBuffer(int capacity = ConsoleBuffer.DefaultCapacity)
{
    public const int DefaultCapacity = 2000;

    /// <summary>Longer lines are cut into several entries so that one runaway line cannot grow without bound.</summary>
    public const int MaxLineLength = 8192;

    /// <summary>Stands in for a new open line until the entries are next read.</summary>
    private static readonly ConsoleLine Unwritten = new(-1, "", [], open: true);

    private readonly RingBuffer<ConsoleLine> _lines = new(capacity);
    private readonly ConsoleLineBuilder _open = new();
    private readonly Dictionary<ConsoleKind, AnsiStyle> _styles = [];
    private long _next;

    // The newest entry of _lines is the open line's; it is stale while _open holds text it does not show yet.
    private bool _hasOpen;
    private bool _stale;

    public int Capacity => _lines.Capacity;

    public int Count => _lines.Count;

    public long Dropped => _lines.Dropped;

    public IReadOnlyList<ConsoleLine> Lines
    {
        get
        {
            Refresh();
            return _lines;
        }
    }

    public void Append(ConsoleKind kind, string text)
    {
        var rest = (text.Contains('\r') ? text.Replace("\r", "", StringComparison.Ordinal) : text).AsSpan();
        while (rest.Length > 0)
        {
            var newline = rest.IndexOf('\n');
            var piece = newline < 0 ? rest : rest[..newline];
            AppendPiece(kind, piece, open: newline < 0);
            rest = newline < 0 ? [] : rest[(newline + 1)..];
        }
    }

    /// <summary>Adds a whole line of its own, closing any line still being written.</summary>
    public void AppendLine(ConsoleKind kind, string text)
    {
        CloseOpenLine();
        Append(kind, text + "\n");
    }

    /// <summary>Adds an image (a PNG) as one entry of its own, after any line still being written.</summary>
    public void AppendImage(ReadOnlyMemory<byte> png)
    {
        CloseOpenLine();
        _lines.Add(ConsoleLine.ForImage(_next++, png));
    }

    public void Clear()
    {
        _lines.Clear();
        _styles.Clear();
        _hasOpen = false;
        _stale = false;
    }

    public ConsoleLine[] Snapshot()
    {
        Refresh();
        return _lines.ToArray();
    }

    private void AppendPiece(ConsoleKind kind, ReadOnlySpan<char> piece, bool open)
    {
        do
        {
            if (!_hasOpen)
            {
                _open.Start(_next++);
                _lines.Add(Unwritten);
                _hasOpen = true;
            }

            var take = Math.Min(MaxLineLength - _open.Length, piece.Length);
            var chunk = piece[..take];
            piece = piece[take..];
            var style = _styles.GetValueOrDefault(kind, AnsiStyle.Plain);
            _open.Append(kind, chunk, style);
            if (chunk.Contains('\u001b'))
            {
                _styles[kind] = AnsiText.EndStyle(chunk.ToString(), style);
            }

            // A full line stays open like any other until more comes, which then starts the next entry.
            if (open && piece.Length == 0)
            {
                _stale = true;
            }
            else
            {
                CloseOpenLine();
            }
        }
        while (piece.Length > 0);
    }

    private void Refresh()
    {
        if (_hasOpen && _stale)
        {
            _lines.ReplaceLast(_open.ToLine(open: true));
            _stale = false;
        }
    }

    private void CloseOpenLine()
    {
        if (_hasOpen)
        {
            _lines.ReplaceLast(_open.ToLine(open: false));
            _hasOpen = false;
            _stale = false;
        }
    }
}
