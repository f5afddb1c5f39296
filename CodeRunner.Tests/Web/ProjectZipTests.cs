using System.IO.Compression;
using System.Text;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

public sealed class ProjectZipTests
{
    private static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void Export_ThenRead_GivesTheSameFilesAndEmptyFolders()
    {
        var project = new Project(new WorkspaceOptions());
        project.CreateFile("src/main.py", "print('hi')\n");
        project.CreateFile("README.md", "# héllo\n");
        project.CreateFolder("empty");

        var (files, folders) = ProjectZip.Read(new MemoryStream(ProjectZip.Export(project)), project.Limits);

        Assert.Equal(project.Files.OrderBy(f => f.Key), files.Select(f => KeyValuePair.Create(f.Path, f.Content.Text!)).OrderBy(f => f.Key));
        Assert.Equal(["empty"], folders);
    }

    [Fact]
    public void Read_EntryEscapingTheProject_Refused()
    {
        var error = Assert.Throws<WorkspaceException>(() =>
            ProjectZip.Read(Zip(("../evil.py", "x"u8.ToArray())), new WorkspaceOptions()));
        Assert.Contains("'.' or '..'", error.Message);
    }

    [Fact]
    public void Read_BinaryFile_KeptAsItsBytes()
    {
        byte[] bytes = [0x89, 0x50, 0x00, 0x01];
        var (files, _) = ProjectZip.Read(Zip(("image.png", bytes)), new WorkspaceOptions());
        Assert.Equal(bytes, Assert.Single(files).Content.Bytes);
    }

    [Fact]
    public void Read_ZipFromMacOSOrWithGit_SkipsTheSystemFiles()
    {
        byte[] binary = [0x00, 0x05, 0x16, 0x07, 0x00];
        var (files, folders) = ProjectZip.Read(Zip(
            ("project/main.py", "print('hi')"u8.ToArray()),
            ("__MACOSX/project/._main.py", binary),
            ("project/.DS_Store", binary),
            ("project/.git/objects/ab/cdef", binary),
            ("project/Thumbs.db", binary)), new WorkspaceOptions());

        Assert.Equal(["project/main.py"], files.Select(f => f.Path));
        Assert.DoesNotContain(folders, f => f.Contains("MACOSX") || f.Contains(".git"));
    }

    [Fact]
    public void Read_EntryOverTheFileSize_MessageNamesTheLimit()
    {
        var limits = new WorkspaceOptions { MaxFileBytes = 1024 };
        var error = Assert.Throws<WorkspaceException>(() =>
            ProjectZip.Read(Zip(("big.txt", Encoding.UTF8.GetBytes(new string('x', 5000)))), limits));
        Assert.Contains("file size limit of 1 KB per file", error.Message);
    }

    [Fact]
    public void Read_ZipBombOfFilesEachWithinTheFileLimit_RefusedAtTheTotalLimitWithoutUnpackingTheRest()
    {
        var bomb = ZipBomb.OfSpaces();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<WorkspaceException>(() => ProjectZip.Read(new MemoryStream(bomb), new WorkspaceOptions()));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("the total size limit is 3 MB per project", error.Message);
        Assert.True(allocated < 32 * 1024 * 1024, $"Reading a zip of {bomb.Length:N0} bytes that unpacks to 400 MB allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void Read_ZipOfMoreEntriesThanAnImportReads_RefusedBeforeReadingThem()
    {
        var zip = ZipBomb.OfEntries(100_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<WorkspaceException>(() => ProjectZip.Read(new MemoryStream(zip), new WorkspaceOptions()));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("the file count limit is 200 files per project", error.Message);
        Assert.True(allocated < 1024 * 1024, $"Refusing a zip of {zip.Length:N0} bytes with 100,000 entries allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void Read_NotAZip_ReadableMessage()
    {
        var error = Assert.Throws<WorkspaceException>(() =>
            ProjectZip.Read(new MemoryStream("not a zip"u8.ToArray()), new WorkspaceOptions()));
        Assert.StartsWith("That file is not a readable zip", error.Message);
    }
}
