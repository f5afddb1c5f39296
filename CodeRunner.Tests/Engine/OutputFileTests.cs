using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// The files a run creates or changes in its workspace come back with its verdict; nothing else does: no unchanged
/// file, no symlink wherever it points, nothing outside the workspace, and nothing past the caps.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class OutputFileTests(EngineFixture fixture)
{
    private const string WritesAndChanges = """
        import os
        with open('results.csv', 'w') as f:
            f.write('x,y\n1,2\n')
        with open('data/notes.txt', 'a') as f:
            f.write('and more\n')
        with open('same.txt', 'w') as f:
            f.write('unchanged\n')
        with open('plot.png', 'wb') as f:
            f.write(b'\x89PNG\r\n\x1a\n\x00\x00')
        with open('same_size.txt', 'w') as f:
            f.write('BBBB')
        os.utime('touched.txt', (0, 0))
        """;

    private static readonly (string, string)[] Given =
        [("data/notes.txt", "first\n"), ("same.txt", "unchanged\n"), ("same_size.txt", "AAAA"), ("touched.txt", "only its time changes\n")];

    [Fact]
    public async Task ProgramWritesAndChangesFiles_NewAndChangedComeBack_UnchangedDoesNot()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", WritesAndChanges, others: Given);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(["data/notes.txt", "plot.png", "results.csv", "same_size.txt"], result.Verdict.OutputFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task ProgramWritesFiles_TheirBytesAndKindComeBack()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", WritesAndChanges, others: Given);
        var files = result.Verdict.OutputFiles.ToDictionary(f => f.Path);
        Assert.Equal(("x,y\n1,2\n", true), (files["results.csv"].Text, files["results.csv"].IsText));
        Assert.Equal("first\nand more\n", files["data/notes.txt"].Text);
        Assert.Equal((10L, false), (files["plot.png"].Size, files["plot.png"].IsText));
        Assert.Null(result.Verdict.OutputFilesLeftOut);
    }

    [Fact]
    public async Task SymlinksAndFilesOutsideTheWorkspace_NeverComeBack()
    {
        const string code = """
            import os
            with open('/tmp/secret.txt', 'w') as f:
                f.write('outside the workspace\n')
            with open('/dev/shm/shm.txt', 'w') as f:
                f.write('outside too\n')
            os.symlink('/etc/passwd', 'passwd')
            os.symlink('/tmp/secret.txt', 'secret.txt')
            os.symlink('/etc', 'etc')
            os.makedirs('sub')
            os.symlink('../../tmp/secret.txt', 'sub/up.txt')
            os.mkfifo('fifo')
            with open('ok.txt', 'w') as f:
                f.write('inside\n')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(["ok.txt"], result.Verdict.OutputFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task ProgramWritesAThousandFiles_TwentyComeBack_TheCapIsTold_AndTheNextRunWorks()
    {
        const string code = """
            import os
            os.makedirs('many')
            for i in range(1000):
                with open(f'many/{i:04}.txt', 'w') as f:
                    f.write('x' * 100)
            print('wrote them')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(OutputFilesLeftOut.MaxCount, result.Verdict.OutputFiles.Count);
        Assert.Equal(new OutputFilesLeftOut(1000 - OutputFilesLeftOut.MaxCount, (1000 - OutputFilesLeftOut.MaxCount) * 100, OutputFileCaps.Count),
            result.Verdict.OutputFilesLeftOut);

        var next = await session.RunAsync("main.py", "open('after.txt', 'w').write('next run\\n')");
        Assert.True(next.Verdict.Succeeded, next.ToString());
        Assert.Equal(["after.txt"], next.Verdict.OutputFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task ProgramWritesAFileOverThePerFileCap_ItIsLeftOut_AndTheRunEndsNormally()
    {
        const string code = """
            with open('big.bin', 'wb') as f:
                f.write(b'\0' * (5 * 1024 * 1024))
            with open('small.txt', 'w') as f:
                f.write('small\n')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", code);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(["small.txt"], result.Verdict.OutputFiles.Select(f => f.Path));
        Assert.Equal(new OutputFilesLeftOut(1, 5 * 1024 * 1024, OutputFileCaps.PerFile), result.Verdict.OutputFilesLeftOut);
        Assert.Contains("not sent back", result.Verdict.OutputFilesLeftOut!.Message);
    }

    [Fact]
    public async Task FilesPastTheTotalCap_AreLeftOut()
    {
        const string code = """
            for i in range(3):
                with open(f'part{i}.bin', 'wb') as f:
                    f.write(b'\1' * (3 * 1024 * 1024))
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", code);
        Assert.Equal(2, result.Verdict.OutputFiles.Count);
        Assert.Equal(new OutputFilesLeftOut(1, 3 * 1024 * 1024, OutputFileCaps.Total), result.Verdict.OutputFilesLeftOut);
    }

    [Fact]
    public async Task AFileWhosePathAProjectCannotHold_IsLeftOutAndCounted()
    {
        const string code = """
            with open('what?.txt', 'w') as f:
                f.write('a question\n')
            """;
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("main.py", code);
        Assert.Empty(result.Verdict.OutputFiles);
        Assert.Equal(new OutputFilesLeftOut(1, 11, OutputFileCaps.Path), result.Verdict.OutputFilesLeftOut);
    }
}
