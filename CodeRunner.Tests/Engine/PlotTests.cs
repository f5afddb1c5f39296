using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>Figures in the console: matplotlib's show() and figures left open reach the run's events as PNGs, in order with the text, within the caps.</summary>
[Collection(DockerCollection.Name)]
public sealed class PlotTests(EngineFixture fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Python that writes straight to the image channel, as the backend does, for the caps and the garbage.</summary>
    private const string Channel = """
        import os, struct, sys
        SIGNATURE = b'\x89PNG\r\n\x1a\n'
        def write_all(data):
            while data:
                data = data[os.write(3, data):]
        def send(image):
            sys.stdout.flush()
            write_all(struct.pack('<I', len(image)) + image)
            os.read(3, 1)

        """;

    /// <summary>Stdout and images in order: the text between images joined, and "png" for an image that is a PNG.</summary>
    private static List<string> Sequence(RunResult result)
    {
        var sequence = new List<string>();
        var text = "";
        foreach (var e in result.Events)
        {
            if (e.Stream == ConsoleStream.Stdout)
            {
                text += e.Text;
            }
            else if (e.Stream == ConsoleStream.Image)
            {
                sequence.AddRange(text.Length > 0 ? [text] : []);
                sequence.Add(e.Data.Span.StartsWith(PngSignature) ? "png" : "not a png");
                text = "";
            }
        }

        sequence.AddRange(text.Length > 0 ? [text] : []);
        return sequence;
    }

    [Fact]
    public async Task ShowTwiceBetweenPrints_GivesTextImageTextImage_InOrder()
    {
        const string code = """
            import matplotlib.pyplot as plt
            print("first")
            plt.plot([1, 2, 3])
            plt.show()
            print("second")
            plt.plot([3, 1, 2])
            plt.show()
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("plot.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(["first\n", "png", "second\n", "png"], Sequence(result));
    }

    [Fact]
    public async Task AFigureLeftOpenAtExit_AppearsAfterTheLastText()
    {
        const string code = """
            import matplotlib.pyplot as plt
            plt.figure()
            plt.bar(["a", "b"], [2, 3])
            print("done")
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("open.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(["done\n", "png"], Sequence(result));
    }

    [Fact]
    public async Task AnImageOverTheCap_IsDroppedWithAMessage_AndTheRunEndsNormally()
    {
        var code = Channel + """
            send(SIGNATURE + b'x' * (5 * 1024 * 1024))
            send(SIGNATURE + b'small')
            print("after")
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("big.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Contains("dropped: over the cap of 4 MiB per image", result.Stderr);
        Assert.Equal(["png", "after\n"], Sequence(result));
    }

    [Fact]
    public async Task ImagesPastTheRunsCap_AreDroppedWithOneMessage()
    {
        var code = Channel + """
            for i in range(60):
                send(SIGNATURE + bytes([i]))
            print("after")
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("many.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(50, result.Events.Count(e => e.Stream == ConsoleStream.Image));
        Assert.Single(result.Stderr.Split('\n'), line => line.Contains("over the cap of 50 images or 16 MiB per run"));
    }

    [Fact]
    public async Task ACaseOfATestRunThatPlots_IsJudgedOnItsTextAlone()
    {
        const string code = """
            import matplotlib.pyplot as plt
            plt.plot([1, 2])
            plt.show()
            print(int(input()) * 2)
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", code)],
            EntryFile = "main.py",
            Cases = [new TestCase { Name = "double", Stdin = "21\n", ExpectedOutput = "42" }],
        });

        var only = Assert.Single(result.Cases);
        Assert.True(only.Outcome == TestOutcome.Passed, $"{only.Status} {only.Message} stdout={only.Stdout} stderr={only.Stderr}");
    }

    [Fact]
    public async Task GarbageOnTheChannel_IsRefusedWithAMessage_AndTheNextRunShowsItsPlot()
    {
        var code = Channel + """
            try:
                write_all(b'this is not an image at all, just text ' * 1000)
            except BrokenPipeError:
                print("refused")
            print("still running")
            """;
        await using var session = fixture.Engine.CreateSession();
        var garbage = await session.RunAsync("garbage.py", code);
        Assert.True(garbage.Verdict.Succeeded, garbage.ToString());
        Assert.Contains("not a PNG image", garbage.Stderr);
        Assert.EndsWith("still running\n", garbage.Stdout);

        var next = await session.RunAsync("plot.py", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\nprint('ok')");
        Assert.Equal(["png", "ok\n"], Sequence(next));
    }
}
