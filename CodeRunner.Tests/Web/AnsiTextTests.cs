using CodeRunner.Web.Runs;

namespace CodeRunner.Tests.Web;

public sealed class AnsiTextTests
{
    [Fact]
    public void Parse_RedThenReset_TwoSegmentsWithPaletteClass()
    {
        var segments = AnsiText.Parse("\u001b[31merror\u001b[0m done");

        Assert.Equal(["error", " done"], segments.Select(s => s.Text));
        Assert.Equal("ansi-fg-1", segments[0].Style.CssClass);
        Assert.Equal("", segments[1].Style.CssClass);
    }

    [Fact]
    public void Parse_BoldBrightGreenOnBlue_CombinesClasses()
    {
        var segment = Assert.Single(AnsiText.Parse("\u001b[1;92;44mok"));

        Assert.Equal("ansi-fg-10 ansi-bg-4 ansi-bold", segment.Style.CssClass);
    }

    [Fact]
    public void Parse_TrueColour_BecomesInlineStyle()
    {
        var segment = Assert.Single(AnsiText.Parse("\u001b[38;2;255;128;0morange"));

        Assert.Equal("color:#ff8000;", segment.Style.CssStyle);
    }

    [Fact]
    public void Parse_OtherControlSequences_AreRemoved()
    {
        var segments = AnsiText.Parse("\u001b[2K\u001b[1Gprogress 50%\u001b[");

        Assert.Equal("progress 50%", string.Concat(segments.Select(s => s.Text)));
    }
}
