using System.Security.Cryptography;
using CodeRunner.Engine.Runs;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Engine;

/// <summary>A binary file of the student's project reaches their program byte for byte, as the IDE sends it.</summary>
[Collection(DockerCollection.Name)]
public sealed class BinaryFileRunTests(EngineFixture fixture)
{
    [Fact]
    public async Task BinaryFileInTheProject_ProgramReadsItByteExact()
    {
        // Every byte value, NULs and bytes that are not UTF-8 among them: a text path would change some of them.
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. Enumerable.Range(0, 256).Select(i => (byte)(255 - i))];
        var project = new Project(new WorkspaceOptions());
        new StarterProject(fixture.Engine).Seed(project);
        project.Import([("data/data.bin", FileContent.Detect(data))]);
        project.Import([("checksum.py", "import hashlib\nprint(hashlib.sha256(open('data/data.bin', 'rb').read()).hexdigest())\n")]);
        await using var session = fixture.Engine.CreateSession();

        var run = await session.StartRunAsync(new RunRequest { Files = RunConsoles.FilesOf(project), EntryFile = "checksum.py" });
        var result = await run.CollectAsync();

        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)) + "\n", result.Stdout);
    }
}
