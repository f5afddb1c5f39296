using System.IO.Compression;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Projects;

namespace CodeRunner.Tests.Classroom;

/// <summary>Binary files (their bytes in <see cref="FileSave.Data"/>) in a student's project on the server; run against each provider.</summary>
public abstract class BinaryFileTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    /// <summary>Every byte value, NULs and bytes that are not UTF-8 among them.</summary>
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0x89, 0x50, 0x4E, 0x47, 0x00];

    [Fact]
    public async Task Save_BinaryFile_LoadsBackByteExact()
    {
        var ana = await StudentAsync();

        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print(1)", 0), new("data/in.bin", "", 0, Bytes)], [], [], "tab");

        var files = (await App.Projects.LoadAsync(ana.StudentId)).Files.ToDictionary(f => f.Path);
        Assert.Equal(Bytes, files["data/in.bin"].Data);
        Assert.Null(files["main.py"].Data);
    }

    [Fact]
    public async Task Save_BinaryReplacingText_ThenTextAgain_KeepsOnlyTheLatest()
    {
        var ana = await StudentAsync();
        var v1 = (await App.Projects.SaveAsync(ana.StudentId, [new("data.dat", "text", 0)], [], [], "tab")).Versions["data.dat"];
        var v2 = (await App.Projects.SaveAsync(ana.StudentId, [new("data.dat", "", v1, Bytes)], [], [], "tab")).Versions["data.dat"];

        Assert.Equal(Bytes, Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files).Data);

        await App.Projects.SaveAsync(ana.StudentId, [new("data.dat", "text again", v2)], [], [], "tab");
        var file = Assert.Single((await App.Projects.LoadAsync(ana.StudentId)).Files);
        Assert.Equal(("text again", null), (file.Content, file.Data));
    }

    [Fact]
    public async Task Save_BinaryOverTheSizeLimit_RefusedByItsBytes_AndNothingSaved()
    {
        var ana = await StudentAsync();

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Projects.SaveAsync(ana.StudentId,
            [new("a.py", "a", 0), new("big.bin", "", 0, new byte[1024 * 1024 + 1])], [], [], "tab"));

        Assert.Contains("'big.bin' is 1 MB; the file size limit is 1 MB per file", refused.Message);
        Assert.Empty((await App.Projects.LoadAsync(ana.StudentId)).Files);
    }

    [Fact]
    public async Task Export_BinaryFile_ByteExactInTheClassZip()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Projects.SaveAsync(ana.StudentId, [new("logo.png", "", 0, Bytes)], [], [], "tab");
        using var zipped = new MemoryStream();

        await App.Projects.ExportClassAsync(teacherId, schoolClass.Id, zipped);

        zipped.Position = 0;
        using var zip = new ZipArchive(zipped, ZipArchiveMode.Read);
        using var copy = new MemoryStream();
        await zip.GetEntry("Ana/logo.png")!.Open().CopyToAsync(copy);
        Assert.Equal(Bytes, copy.ToArray());
    }

    private async Task<StudentIdentity> StudentAsync()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        return await App.JoinAsync(schoolClass, "Ana");
    }
}
