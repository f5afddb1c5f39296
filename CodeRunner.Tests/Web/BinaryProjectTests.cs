using System.IO.Compression;
using System.Text;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Workspace;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Web;

/// <summary>A project holding binary files beside its text, starting from the starter project as a student has it.</summary>
public sealed class BinaryProjectTests
{
    /// <summary>A real 1×1 PNG: its signature has bytes that are not UTF-8, and its chunks hold NULs.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private static Project Starter(Action<WorkspaceOptions>? limits = null)
    {
        var options = new WorkspaceOptions();
        limits?.Invoke(options);
        var project = new Project(options);
        RealRuntimes.Starter.Seed(project);
        return project;
    }

    [Fact]
    public void Detect_PngBytes_Binary_UnchangedByte_ForByte()
    {
        var content = FileContent.Detect(Png);
        Assert.Equal(Png, content.Bytes);
    }

    [Theory]
    [InlineData("data.csv", "a,b\n1,2\n")]
    [InlineData("photo.png", "named like an image, but text")]
    public void Detect_Utf8WithoutNul_TextWhateverTheName(string _, string text)
    {
        Assert.Equal(text, FileContent.Detect(Encoding.UTF8.GetBytes(text)).Text);
    }

    [Fact]
    public void Detect_Utf8WithANul_Binary()
    {
        Assert.False(FileContent.Detect("a\0b"u8).IsText);
    }

    [Fact]
    public void Import_Binary_CountsItsBytesInTheTotal()
    {
        var project = Starter();
        var before = project.TotalBytes;

        project.Import([("img/logo.png", FileContent.FromBytes(Png))]);

        Assert.Equal(before + Png.Length, project.TotalBytes);
    }

    [Fact]
    public void Import_BinaryOverTheFileLimit_RefusedNamingTheLimit_AndNothingChanges()
    {
        var project = Starter(o => o.MaxFileBytes = 4096); // above the starter project's largest file, its README
        var files = project.Files.ToDictionary();

        var error = Assert.Throws<WorkspaceException>(() => project.Import([
            ("ok.png", FileContent.FromBytes(Png)),
            ("big.bin", FileContent.FromBytes(new byte[8192])),
        ]));

        Assert.Contains("the file size limit is 4 KB per file", error.Message);
        Assert.Equal(files, project.Files);
        Assert.Empty(project.Binaries);
    }

    [Fact]
    public void Import_BinariesOverTheTotal_RefusedNamingTheLimit_AndNothingChanges()
    {
        var project = Starter(o => (o.MaxFileBytes, o.MaxTotalBytes) = (4096, 8192));
        var total = project.TotalBytes;

        var error = Assert.Throws<WorkspaceException>(() => project.Import([
            ("a.bin", FileContent.FromBytes(new byte[4000])),
            ("b.bin", FileContent.FromBytes(new byte[4000])),
        ]));

        Assert.Contains("the total size limit is 8 KB per project", error.Message);
        Assert.Equal(total, project.TotalBytes);
        Assert.Empty(project.Binaries);
    }

    [Fact]
    public void Import_BinaryOverTheFileCount_RefusedNamingTheLimit()
    {
        var count = Starter().FileCount;
        var project = Starter(o => o.MaxFiles = count);

        var error = Assert.Throws<WorkspaceException>(() => project.Import([("one-more.png", FileContent.FromBytes(Png))]));

        Assert.Contains($"the file count limit is {count} files per project", error.Message);
    }

    [Fact]
    public void RenameFolder_MovesItsBinaryFiles_WithTheirBytes()
    {
        var project = Starter();
        project.Import([("img/logo.png", FileContent.FromBytes(Png))]);

        project.Rename("img", "pictures");

        Assert.Equal(Png, project.Binaries["pictures/logo.png"]);
        Assert.False(project.IsFile("img/logo.png"));
    }

    [Fact]
    public void Delete_BinaryFile_FreesItsBytes()
    {
        var project = Starter();
        var total = project.TotalBytes;
        project.Import([("logo.png", FileContent.FromBytes(Png))]);

        project.Delete("logo.png");

        Assert.Equal(total, project.TotalBytes);
        Assert.False(project.IsFile("logo.png"));
    }

    [Fact]
    public void SetContent_OfABinaryFile_Refused_BytesStay()
    {
        var project = Starter();
        project.Import([("logo.png", FileContent.FromBytes(Png))]);

        Assert.Throws<WorkspaceException>(() => project.SetContent("logo.png", "text"));
        Assert.Equal(Png, project.Binaries["logo.png"]);
    }

    [Fact]
    public void Import_BinaryOverATextFileOfTheSameName_ReplacesIt_AndTheTotal()
    {
        var project = Starter();
        project.Import([("data.dat", "text")]);
        var total = project.TotalBytes;

        project.Import([("data.dat", FileContent.FromBytes(Png))]);

        Assert.False(project.Files.ContainsKey("data.dat"));
        Assert.Equal(total - 4 + Png.Length, project.TotalBytes);
    }

    [Fact]
    public void Zip_ExportThenRead_PngAndTextByteExact()
    {
        var project = Starter();
        project.Import([("img/logo.png", FileContent.FromBytes(Png))]);

        var zip = ProjectZip.Export(project);
        var (files, _) = ProjectZip.Read(new MemoryStream(zip), project.Limits);

        Assert.Equal(Png, files.Single(f => f.Path == "img/logo.png").Content.Bytes);
        Assert.Equal(project.Files.OrderBy(f => f.Key), files.Where(f => f.Content.IsText)
            .Select(f => KeyValuePair.Create(f.Path, f.Content.Text!)).OrderBy(f => f.Key));
    }

    [Fact]
    public void Zip_Export_PngEntryHoldsItsBytesExactly()
    {
        var project = Starter();
        project.Import([("logo.png", FileContent.FromBytes(Png))]);

        using var zip = new ZipArchive(new MemoryStream(ProjectZip.Export(project)));
        using var copy = new MemoryStream();
        zip.GetEntry("logo.png")!.Open().CopyTo(copy);

        Assert.Equal(Png, copy.ToArray());
    }

    [Fact]
    public async Task Store_SavedBinary_LoadsAgainByteExact_AsABinaryFile()
    {
        var storage = new InMemoryWorkspaceStorage();
        var store = new WorkspaceStore(storage, Options.Create(new WorkspaceOptions()), RealRuntimes.Starter);
        await store.LoadAsync(); // the starter project
        store.Import([("data.bin", FileContent.FromBytes(Png))]);
        await store.SaveAsync();

        var again = new WorkspaceStore(storage, Options.Create(new WorkspaceOptions()), RealRuntimes.Starter);
        await again.LoadAsync();

        Assert.Equal(Png, again.Project.Binaries["data.bin"]);
    }

    [Fact]
    public async Task Store_BinaryFromAnotherTab_TakenIntoTheProject()
    {
        var storage = new InMemoryWorkspaceStorage();
        var store = new WorkspaceStore(storage, Options.Create(new WorkspaceOptions()), RealRuntimes.Starter);
        await store.LoadAsync();
        await store.SaveAsync();

        storage.Arrive(new RemoteChange(new Dictionary<string, string>(), [], null) { Binaries = new Dictionary<string, byte[]> { ["logo.png"] = Png } });

        Assert.Equal(Png, store.Project.Binaries["logo.png"]);
    }
}
