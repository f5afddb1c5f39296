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
public sealed record ConsoleLine(long Number, IReadOnlyList<ConsoleSpan> Spans, bool Open)
{
    public string Text => string.Concat(Spans.Select(s => s.Text));

    public int Length => Spans.Sum(s => s.Text.Length);

    public ConsoleKind Kind => Spans.Count > 0 ? Spans[0].Kind : ConsoleKind.Stdout;

    public ConsoleLine Append(ConsoleKind kind, string text, bool open, AnsiStyle? start = null)
    {
        var spans = Spans.ToList();
        if (spans.Count > 0 && spans[^1].Kind == kind)
        {
            spans[^1] = spans[^1] with { Text = spans[^1].Text + text };
        }
        else
        {
            spans.Add(new ConsoleSpan(kind, text, start));
        }

        return new ConsoleLine(Number, spans, open);
    }
}
