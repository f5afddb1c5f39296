using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>Binary files in the browser: uploaded, previewed, kept across a reload, run with, and kept from a run.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BinaryFileBrowserTests(IdeFixture fixture) : IDisposable
{
    /// <summary>A real 4×4 PNG (red), small enough to read in a test.</summary>
    private const string PngBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";

    private static readonly byte[] Png = Convert.FromBase64String(PngBase64);

    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-e2e-").FullName;

    [Fact]
    public async Task UploadedPng_IsPreviewed_AndStaysByteExactAfterAReload()
    {
        var logo = Path.Combine(_scratch, "logo.png");
        await File.WriteAllBytesAsync(logo, Png);
        var ide = new IdePage(await fixture.OpenIdeAsync()); // the starter project, as a first visit has it

        await ide.Page.Locator("[data-input=files]").SetInputFilesAsync(logo);
        var preview = await ide.OpenPreviewAsync("logo.png");

        await Assertions.Expect(preview).ToHaveAttributeAsync("data-kind", "image");
        await Assertions.Expect(preview.Locator("img")).ToHaveAttributeAsync("src", $"data:image/png;base64,{PngBase64}");
        Assert.Equal(4, await preview.Locator("img").EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth)"));

        // The workspace is written to the browser 300 ms after a change: a reload before that loses it (CI saw it on a
        // busy machine). Wait for the file and the manifest that names it, as a person would take that long anyway.
        await ide.Page.WaitForFunctionAsync(
            "() => localStorage.getItem('coderunner.v1.bin:logo.png') !== null && (localStorage.getItem('coderunner.v1.manifest') || '').includes('logo.png')");
        await fixture.LoadIdeAsync(ide.Page, () => ide.Page.ReloadAsync());
        var download = await ide.Page.RunAndWaitForDownloadAsync(() => ide.TestId("export-zip").ClickAsync());
        var zipPath = Path.Combine(_scratch, "project.zip");
        await download.SaveAsAsync(zipPath);
        using var zip = ZipFile.OpenRead(zipPath);
        using var copy = new MemoryStream();
        await zip.GetEntry("logo.png")!.Open().CopyToAsync(copy);
        Assert.Equal(Png, copy.ToArray());
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task UploadedDataFile_ReachesTheProgramByteExact()
    {
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0xC3, 0x28, 0x00];
        var path = Path.Combine(_scratch, "data.bin");
        await File.WriteAllBytesAsync(path, data);
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.Page.Locator("[data-input=files]").SetInputFilesAsync(path);
        await ide.ExplorerItem("data.bin").WaitForAsync();

        await ide.CreateFileAsync("checksum.py");
        await ide.PasteAsync("import hashlib\nprint('sha256', hashlib.sha256(open('data.bin', 'rb').read()).hexdigest())\n");
        await ide.RunAsync("checksum.py");

        await ide.WaitForOutputAsync("checksum.py", "sha256 " + Convert.ToHexStringLower(SHA256.HashData(data)));
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProgramWritesAPng_KeepPutsItInTheProject_AndItIsPreviewed()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("draw.py");
        await ide.PasteAsync($"import base64\nopen('out.png', 'wb').write(base64.b64decode('{PngBase64}'))\n");

        await ide.RunAsync("draw.py");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("draw.py"));
        var file = ide.ConsoleOutput("draw.py").Locator("[data-testid='output-file'][data-path='out.png']");
        await Assertions.Expect(file).ToHaveAttributeAsync("data-kind", "image");
        await file.Locator("[data-testid='output-file-keep']").ClickAsync();
        await Assertions.Expect(file.Locator("[data-testid='output-file-keep']")).ToContainTextAsync("Kept as out.png");

        var preview = await ide.OpenPreviewAsync("out.png");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-kind", "image");
        await Assertions.Expect(preview.Locator("img")).ToHaveAttributeAsync("src", $"data:image/png;base64,{PngBase64}");
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ClassStudent_UploadedPng_IsOnTheServer_AndPreviewedOnAnotherComputer()
    {
        var pages = new ClassroomPages(fixture);
        var teacher = await pages.SignInAsTeacherAsync();
        var (_, code) = await ClassroomPages.MakeClassAsync(teacher, "Art");
        var ada = await pages.JoinAsync(code, "Ada", "2468");
        var logo = Path.Combine(_scratch, "logo.png");
        await File.WriteAllBytesAsync(logo, Png);

        await ada.Page.Locator("[data-input=files]").SetInputFilesAsync(logo);
        await ada.OpenPreviewAsync("logo.png");

        var elsewhere = await pages.JoinAsync(code, "Ada", "2468"); // a browser of its own: the project comes from the server
        var preview = await elsewhere.OpenPreviewAsync("logo.png");
        await Assertions.Expect(preview.Locator("img")).ToHaveAttributeAsync("src", $"data:image/png;base64,{PngBase64}");
        await teacher.Context.CloseAsync();
        await ada.Page.Context.CloseAsync();
        await elsewhere.Page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
