using System.IO.Compression;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>The rest of what a student does by hand: shortcuts, stop, colours, uploads, zips, limits and large files.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IdeFeatureTests(IdeFixture fixture) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-e2e-").FullName;

    [Fact]
    public async Task CtrlEnter_InTheEditor_RunsTheActiveFile()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.OpenAsync("javascript/hello.js");
        await ide.Editor.ClickAsync();

        await ide.Page.Keyboard.PressAsync("Control+Enter");

        await ide.WaitForOutputAsync("javascript/hello.js", "Hello from JavaScript, in 3 words");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("javascript/hello.js"));
        await Assertions.Expect(ide.Editor.Locator(".view-line")).ToHaveCountAsync(3); // two lines and the last newline: none inserted
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task StarterProject_EveryLanguagesExample_RunsInItsOwnConsole()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        (string File, string Output)[] examples =
        [
            ("python/hello.py", "Hello from Python, line 3"),
            ("javascript/hello.js", "Hello from JavaScript, in 3 words"),
            ("c/hello.c", "Hello from C"),
            ("cpp/hello.cpp", "Hello from C++"),
            ("java/Main.java", "Hello from Java"),
            ("typescript/hello.ts", "Hello from TypeScript"),
            ("go/hello.go", "Hello from Go, line 3"),
            ("rust/main.rs", "Hello from Rust, Ada!"),
            ("bash/hello.sh", "Hello from Bash, Linus!"),
            ("csharp/Program.cs", "Hello from C#, 9"),
            ("sql/shop.sql", "(3 rows)"),
        ];

        foreach (var (file, output) in examples)
        {
            await ide.OpenAsync(file);
            await ide.RunAsync(file);
            await ide.WaitForOutputAsync(file, output, 60_000);
            Assert.Contains("exit code 0", await ide.WaitForVerdictAsync(file));
        }

        await Assertions.Expect(ide.Page.Locator("[data-testid='console-tab']")).ToHaveCountAsync(examples.Length);
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProgramWritesACsv_TheVerdictListsItWithAPreview_AndKeepPutsItInTheExplorer()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("writer.py");
        await ide.PasteAsync("with open('results.csv', 'w') as f:\n    f.write('name,score\\nAda,10\\n')\n");

        await ide.RunAsync("writer.py");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("writer.py"));

        var file = ide.ConsoleOutput("writer.py").Locator("[data-testid='output-file'][data-path='results.csv']");
        await Assertions.Expect(ide.ConsoleOutput("writer.py").Locator("[data-testid='output-files']")).ToContainTextAsync("files written: results.csv");
        await Assertions.Expect(file.Locator("td")).ToHaveTextAsync(["name", "score", "Ada", "10"]);
        var download = await ide.Page.RunAndWaitForDownloadAsync(() => file.Locator("[data-testid='output-file-download']").ClickAsync());
        var saved = Path.Combine(_scratch, "downloaded.csv");
        await download.SaveAsAsync(saved);
        Assert.Equal(("results.csv", "name,score\nAda,10\n"), (download.SuggestedFilename, await File.ReadAllTextAsync(saved)));

        await file.Locator("[data-testid='output-file-keep']").ClickAsync();
        await ide.ExplorerItem("results.csv").WaitForAsync();
        await ide.OpenAsync("results.csv");
        await Assertions.Expect(ide.Editor.Locator(".view-lines")).ToContainTextAsync("Ada,10");
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task CtrlS_InTheEditor_SavesAndPreventsTheBrowsersDialog()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.Page.EvaluateAsync("() => window.addEventListener('keydown', e => { if (e.key === 's') window.savePrevented = e.defaultPrevented; }, true)");
        await ide.OpenAsync("python/hello.py"); // the starter's README opens as a preview, over the editor
        await ide.Editor.ClickAsync();

        await ide.Page.Keyboard.PressAsync("Control+s");

        await Assertions.Expect(ide.Page.GetByText("Saved in this browser")).ToBeVisibleAsync();
        Assert.True(await ide.Page.EvaluateAsync<bool>("() => window.savePrevented === true"));
        await ide.Page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("notes/util.h", "c")] // an editor extension of C, from runtimes/gcc/runtime.json
    [InlineData("notes/todo.json", "json")] // no language of the server's: Monaco's own registry
    public async Task NewFile_OpensInTheEditor_InItsLanguage(string path, string language)
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());

        await ide.CreateFileAsync(path);

        await Assertions.Expect(ide.TestId("editor")).ToHaveAttributeAsync("data-language", language);
        Assert.Equal(language, await ide.Page.EvaluateAsync<string?>("path => monaco.editor.getModels().find(m => m.uri.path === '/' + path)?.getLanguageId()", path));
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task QuestionMark_OutsideTheEditor_OpensTheShortcutsDialog()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.Page.Locator(".explorer-title").ClickAsync();

        await ide.Page.Keyboard.PressAsync("?");

        await Assertions.Expect(ide.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Run the active file");
        await Assertions.Expect(ide.Page.GetByRole(AriaRole.Dialog).Locator("[data-testid='language'][data-language-id='python']")).ToContainTextAsync(".py");
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task StopButton_DuringAnEndlessLoop_VerdictSaysStopped()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("forever.py");
        await ide.PasteAsync("import time\nprint('looping', flush=True)\nwhile True:\n    time.sleep(0.1)\n");
        await ide.RunAsync("forever.py");
        await ide.WaitForOutputAsync("forever.py", "looping");

        await ide.TestId("stop-button").ClickAsync();

        await ide.WaitForVerdictAsync("forever.py");
        Assert.Equal("stopped", await ide.Verdict("forever.py").GetAttributeAsync("data-outcome"));
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnsiColoursAndStderr_Printed_ShownStyled()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("colours.py");
        await ide.PasteAsync("import sys\nprint('\\033[31mred\\033[0m plain')\nprint('oops', file=sys.stderr)\n");
        await ide.RunAsync("colours.py");
        await ide.WaitForVerdictAsync("colours.py");

        var output = ide.ConsoleOutput("colours.py");
        await Assertions.Expect(output.Locator(".ansi-fg-1")).ToHaveTextAsync("red");
        await Assertions.Expect(output.Locator(".kind-stderr")).ToHaveTextAsync("oops");
        var stderr = await output.Locator(".kind-stderr").EvaluateAsync<string>("e => getComputedStyle(e).color");
        var stdout = await output.Locator(".kind-stdout").Last.EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.NotEqual(stdout, stderr);
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ZipExport_ThenImportIntoAnotherBrowser_BringsTheFiles()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        var download = await ide.Page.RunAndWaitForDownloadAsync(() => ide.TestId("export-zip").ClickAsync());
        var zipPath = Path.Combine(_scratch, "project.zip");
        await download.SaveAsAsync(zipPath);
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "network/server.py");
        }

        var other = new IdePage(await fixture.OpenIdeAsync());
        await other.ExplorerItem("network").HoverAsync();
        await other.Page.Locator("button[aria-label='Delete network']").ClickAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(other.ExplorerItem("network/server.py")).ToHaveCountAsync(0);

        await other.Page.Locator("[data-input=zip]").SetInputFilesAsync(zipPath);

        await Assertions.Expect(other.ExplorerItem("network/server.py")).ToBeVisibleAsync();
        await ide.Page.Context.CloseAsync();
        await other.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConsoleSplitter_Dragged_ResizesThePanel_AndStopsAtRelease()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        var splitter = ide.Page.Locator("[data-splitter]");
        var box = (await splitter.BoundingBoxAsync())!;
        var x = box.X + box.Width / 2;
        var y = box.Y + box.Height / 2;
        async Task<double> HeightAsync() => (await ide.Page.Locator(".ide-consoles").BoundingBoxAsync())!.Height;
        var before = await HeightAsync();

        await ide.Page.Mouse.MoveAsync(x, y);
        await ide.Page.Mouse.DownAsync();
        await ide.Page.Mouse.MoveAsync(x, y - 100, new MouseMoveOptions { Steps = 5 });
        await ide.Page.Mouse.UpAsync();
        var dragged = await HeightAsync();
        await ide.Page.Mouse.MoveAsync(x, y - 200, new MouseMoveOptions { Steps = 5 }); // released: only hovering now

        Assert.InRange(dragged - before, 90, 110);
        Assert.Equal(dragged, await HeightAsync());
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task FolderUpload_KeepsThePathsInsideTheFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "homework"));
        Directory.CreateDirectory(Path.Combine(folder.FullName, "part1"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "part1", "answer.py"), "print(42)\n");
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, ".DS_Store"), [0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]); // as macOS adds
        var ide = new IdePage(await fixture.OpenIdeAsync());

        await ide.Page.Locator("[data-input=folder]").SetInputFilesAsync(folder.FullName);

        await Assertions.Expect(ide.ExplorerItem("homework/part1/answer.py")).ToBeVisibleAsync();
        await Assertions.Expect(ide.ExplorerItem("homework/.DS_Store")).ToHaveCountAsync(0);
        await Assertions.Expect(ide.TestId("explorer-error")).ToHaveCountAsync(0);
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Upload_FileOverTheSizeLimit_MessageNamesTheLimit()
    {
        var big = Path.Combine(_scratch, "huge.txt");
        await File.WriteAllTextAsync(big, new string('x', 1024 * 1024 + 10));
        var ide = new IdePage(await fixture.OpenIdeAsync());

        await ide.Page.Locator("[data-input=files]").SetInputFilesAsync(big);

        await Assertions.Expect(ide.TestId("explorer-error")).ToContainTextAsync("the file size limit is 1 MB per file");
        await Assertions.Expect(ide.ExplorerItem("huge.txt")).ToHaveCountAsync(0);
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task LargeFile_EditedAndRun_TheWholeTextReachesTheProgram()
    {
        // About 900 KB: far past SignalR's default 32 KB message, within the 1 MB file limit.
        var lines = Enumerable.Range(0, 15_000).Select(i => $"# padding line {i:00000} of a large student file ........").ToList();
        var large = Path.Combine(_scratch, "large.py");
        await File.WriteAllTextAsync(large, string.Join('\n', lines) + "\nprint('end of the large file')\n");
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.Page.Locator("[data-input=files]").SetInputFilesAsync(large);
        await ide.OpenAsync("large.py");

        await ide.Editor.ClickAsync();
        await ide.Page.Keyboard.PressAsync("Control+End");
        await ide.Page.Keyboard.TypeAsync("print('typed at the end')\n");
        await ide.RunAsync("large.py");

        await ide.WaitForOutputAsync("large.py", "typed at the end");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("large.py"));
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConsolePanel_Collapsed_HidesTheOutputAndComesBack()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.OpenAsync("python/hello.py");
        await ide.RunAsync("python/hello.py");
        await ide.WaitForVerdictAsync("python/hello.py");

        await ide.TestId("console-collapse").ClickAsync();
        await Assertions.Expect(ide.ConsoleOutput("python/hello.py")).ToHaveCountAsync(0);
        await ide.TestId("console-collapse").ClickAsync();

        await Assertions.Expect(ide.ConsoleOutput("python/hello.py")).ToBeVisibleAsync();
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task AutoScroll_ScrolledUp_PausesAndResumesAtTheBottom()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("slow.py");
        await ide.PasteAsync("import time\nfor i in range(400): print(f'tick {i}', flush=True); time.sleep(0.02)\n");
        await ide.RunAsync("slow.py");
        var output = ide.ConsoleOutput("slow.py");
        await ide.Page.WaitForFunctionAsync("el => Number(el.dataset.entries) > 120", await output.ElementHandleAsync());

        await output.EvaluateAsync("el => el.scrollTop = 0");
        await Assertions.Expect(output).ToHaveAttributeAsync("data-following", "false");
        await ide.Page.WaitForTimeoutAsync(1000); // more output arrives meanwhile
        Assert.True(await output.EvaluateAsync<double>("el => el.scrollTop") < 50, "The console jumped to the bottom while the student read above.");

        await output.EvaluateAsync("el => el.scrollTop = el.scrollHeight");
        await Assertions.Expect(output).ToHaveAttributeAsync("data-following", "true");
        await ide.WaitForVerdictAsync("slow.py");
        Assert.True(await output.EvaluateAsync<bool>("el => el.scrollHeight - el.scrollTop - el.clientHeight < 8"), "The console did not follow the output to the end.");
        await ide.Page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
