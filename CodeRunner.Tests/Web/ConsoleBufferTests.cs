using CodeRunner.Web.Runs;

namespace CodeRunner.Tests.Web;

public sealed class ConsoleBufferTests
{
    [Fact]
    public void Append_2001stEntry_DropsTheFirst()
    {
        var buffer = new ConsoleBuffer();
        for (var i = 1; i <= 2001; i++)
        {
            buffer.Append(ConsoleKind.Stdout, $"entry {i}\n");
        }

        Assert.Equal(2000, buffer.Count);
        Assert.Equal("entry 2", buffer.Lines[0].Text);
        Assert.Equal("entry 2001", buffer.Lines[^1].Text);
        Assert.Equal(1, buffer.Dropped);
    }

    [Fact]
    public void AppendImage_AfterAPromptWithoutNewline_IsOneEntryOfItsOwnBetweenTheLines()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "a plot:");
        buffer.AppendImage(new byte[100_000]);
        buffer.Append(ConsoleKind.Stdout, "after\n");

        Assert.Equal(["a plot:", "", "after"], buffer.Lines.Select(l => l.Text));
        Assert.Equal([false, true, false], buffer.Lines.Select(l => l.IsImage));
    }

    [Fact]
    public void AppendImage_2001Images_KeepsTheNewest2000()
    {
        var buffer = new ConsoleBuffer();
        for (var i = 1; i <= 2001; i++)
        {
            buffer.AppendImage(new byte[] { (byte)(i % 256), 1 });
        }

        Assert.Equal(2000, buffer.Count);
        Assert.Equal(1, buffer.Dropped);
        Assert.All(buffer.Lines, l => Assert.True(l.IsImage));
    }

    [Fact]
    public void RingBuffer_PastCapacity_KeepsNewestInOrder()
    {
        var ring = new RingBuffer<int>(3);
        foreach (var n in Enumerable.Range(1, 7))
        {
            ring.Add(n);
        }

        Assert.Equal([5, 6, 7], ring.ToArray());
    }

    [Fact]
    public void Append_ColourSetOnOneLine_CarriesToTheNextUntilReset()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "\u001b[31mred starts\nstill red\n");
        buffer.Append(ConsoleKind.Stderr, "stderr has its own colours\n");
        buffer.Append(ConsoleKind.Stdout, "and here\u001b[0m\nplain again\n");

        string? Colour(int line) => AnsiText.Parse(buffer.Lines[line].Spans[0].Text, buffer.Lines[line].Spans[0].Start)[^1].Style.Foreground;
        Assert.Equal("1", Colour(0));
        Assert.Equal("1", Colour(1));
        Assert.Null(Colour(2));
        Assert.Equal("1", Colour(3));
        Assert.Null(Colour(4));

        buffer.Clear();
        buffer.Append(ConsoleKind.Stdout, "after a clear\n");
        Assert.Null(Colour(0));
    }

    [Fact]
    public void Append_ChunksSplitMidLine_JoinIntoOneEntry()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "hel");
        buffer.Append(ConsoleKind.Stdout, "lo\nwor");
        buffer.Append(ConsoleKind.Stdout, "ld\r\n");

        Assert.Equal(["hello", "world"], buffer.Lines.Select(l => l.Text));
        Assert.All(buffer.Lines, l => Assert.False(l.Open));
    }

    [Fact]
    public void Append_PromptWithoutNewline_StaysOpenAndTheAnswerJoinsIt()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "Your name? ");
        Assert.True(buffer.Lines[^1].Open);

        buffer.Append(ConsoleKind.Stdin, "Ada\n");

        var line = Assert.Single(buffer.Lines);
        Assert.Equal("Your name? Ada", line.Text);
        Assert.Equal([ConsoleKind.Stdout, ConsoleKind.Stdin], line.Spans.Select(s => s.Kind));
    }

    [Fact]
    public void Append_LineLongerThanTheMaximum_IsCutIntoSeveralEntries()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, new string('x', ConsoleBuffer.MaxLineLength * 2 + 5) + "\n");

        Assert.Equal([ConsoleBuffer.MaxLineLength, ConsoleBuffer.MaxLineLength, 5], buffer.Lines.Select(l => l.Length));
    }

    [Fact]
    public void Snapshot_OfAnOpenLine_StaysAsItWasWhileMoreArrives()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "Your name? ");
        var shown = buffer.Snapshot();

        buffer.Append(ConsoleKind.Stdin, "Ada\n");

        Assert.Equal("Your name? ", Assert.Single(shown).Text);
        Assert.True(shown[0].Open);
        Assert.Equal("Your name? Ada", Assert.Single(buffer.Snapshot()).Text);
    }

    [Fact]
    public void Append_LineOfExactlyTheMaximumThenNewline_IsOneEntry()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, new string('x', ConsoleBuffer.MaxLineLength));
        buffer.Append(ConsoleKind.Stdout, "\n");
        buffer.Append(ConsoleKind.Stdout, "next\n");

        Assert.Equal([ConsoleBuffer.MaxLineLength, 4], buffer.Lines.Select(l => l.Length));
    }

    [Fact]
    public void AppendLine_AfterAnOpenLine_StartsItsOwnEntry()
    {
        var buffer = new ConsoleBuffer();
        buffer.Append(ConsoleKind.Stdout, "no newline");
        buffer.AppendLine(ConsoleKind.System, "^D");

        Assert.Equal(["no newline", "^D"], buffer.Lines.Select(l => l.Text));
    }

    [Fact]
    public void Append_OneLineAlternatingStdoutAndStderrByTheCharacter_AllocatesLinearly()
    {
        // 1 MB of output, each character a piece of its own and of the other stream than the one before: every piece
        // starts a new span of the open line. Linear work allocates some bytes per character; copying the open line
        // for every piece allocated about 100 KB per character (103 GB in all, for three minutes).
        const int Characters = 1024 * 1024;
        var buffer = new ConsoleBuffer();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < Characters; i++)
        {
            buffer.Append(i % 2 == 0 ? ConsoleKind.Stdout : ConsoleKind.Stderr, i % 2 == 0 ? "o" : "e");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 32L * Characters, $"Appending {Characters} characters allocated {allocated:N0} bytes.");
        Assert.Equal(Characters / ConsoleBuffer.MaxLineLength, buffer.Count);
        Assert.Equal(ConsoleBuffer.MaxLineLength, buffer.Lines[^1].Spans.Count);
    }
}
