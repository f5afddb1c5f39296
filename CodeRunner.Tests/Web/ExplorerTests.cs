using Bunit;
using CodeRunner.Web.Components.Explorer;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Tests.Web;

public sealed class ExplorerTests : WebTestBase
{
    private async Task<IRenderedComponent<FileExplorer>> ExplorerWithAsync(params (string Path, string Text)[] files)
    {
        await LoadProjectAsync(files);
        RenderProviders();
        return Render<FileExplorer>();
    }

    private static async Task NameAsync(IRenderedComponent<FileExplorer> cut, string name)
    {
        var input = cut.Find("[data-testid=file-name-input]");
        await input.InputAsync(new ChangeEventArgs { Value = name });
        await cut.Find("[data-testid=file-name-input]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
    }

    private static string? Error(IRenderedComponent<FileExplorer> cut) =>
        cut.FindAll("[data-testid=explorer-error]").SingleOrDefault()?.TextContent.Trim().TrimEnd('×').Trim();

    [Fact]
    public async Task BeforeTheWorkspaceIsRead_SaysItIsLoading_NotAnEmptyProject()
    {
        RenderProviders();
        var cut = Render<FileExplorer>();

        Assert.Contains("Loading your files", cut.Find("[data-testid=explorer-loading]").TextContent);
        Assert.Empty(cut.FindAll("[role=tree]"));
        Assert.Contains("hidden", cut.Find(".explorer-usage").ClassList);

        await Store.LoadAsync();
        cut.Render();
        Assert.Empty(cut.FindAll("[data-testid=explorer-loading]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=explorer-item]")); // the starter project
    }

    [Fact]
    public async Task NewFile_Named_AppearsInTheTreeAndOpens()
    {
        var cut = await ExplorerWithAsync();
        cut.Find("[data-testid=new-file-button]").Click();

        await NameAsync(cut, "src/main.py");

        Assert.NotNull(cut.Find("[data-testid=explorer-item][data-path='src'][data-kind=folder]"));
        Assert.NotNull(cut.Find("[data-testid=explorer-item][data-path='src/main.py'][data-kind=file]"));
        Assert.Equal("src/main.py", Store.ActiveFile);
        Assert.Empty(cut.FindAll("[data-testid=file-name-input]"));
    }

    [Fact]
    public async Task NewFile_InsideTheSelectedFolder_CreatedThere()
    {
        var cut = await ExplorerWithAsync(("lib/util.py", ""));
        cut.Find("[data-testid=explorer-item][data-path='lib']").Click();
        cut.Find("[data-testid=new-file-button]").Click();

        await NameAsync(cut, "extra.py");

        Assert.True(Store.Project.IsFile("lib/extra.py"));
    }

    [Fact]
    public async Task NewFolder_Named_AppearsAsAnEmptyFolder()
    {
        var cut = await ExplorerWithAsync();
        cut.Find("[data-testid=new-folder-button]").Click();

        await NameAsync(cut, "assets");

        Assert.NotNull(cut.Find("[data-testid=explorer-item][data-path='assets'][data-kind=folder]"));
    }

    [Fact]
    public async Task NewFile_ExistingName_ErrorSaysItExistsAndKeepsTheBox()
    {
        var cut = await ExplorerWithAsync(("main.py", ""));
        cut.Find("[data-testid=new-file-button]").Click();

        await NameAsync(cut, "main.py");

        Assert.Equal("'main.py' already exists.", Error(cut));
        Assert.NotNull(cut.Find("[data-testid=file-name-input]"));
    }

    [Fact]
    public async Task NewFile_DotDotName_ErrorExplainsTheName()
    {
        var cut = await ExplorerWithAsync();
        cut.Find("[data-testid=new-file-button]").Click();

        await NameAsync(cut, "../outside.py");

        Assert.Equal("The path '../outside.py' has an empty, '.' or '..' part.", Error(cut));
        Assert.Empty(Store.Project.Files);
    }

    [Fact]
    public async Task NewFile_PastTheFileCount_ErrorNamesTheLimit()
    {
        Limits.MaxFiles = 1;
        var cut = await ExplorerWithAsync(("only.py", ""));
        cut.Find("[data-testid=new-file-button]").Click();

        await NameAsync(cut, "second.py");

        Assert.Equal("That would make 2 files; the file count limit is 1 files per project.", Error(cut));
    }

    [Fact]
    public async Task Rename_File_MovesItAndKeepsItsTabOpen()
    {
        var cut = await ExplorerWithAsync(("old.py", "print(1)"));
        Store.Open("old.py");
        cut.Find("button[aria-label='Rename old.py']").Click();

        await NameAsync(cut, "new.py");

        Assert.Equal(["new.py"], Store.Project.Files.Keys);
        Assert.Equal("print(1)", Store.Project.Files["new.py"]);
        Assert.Equal(["new.py"], Store.OpenTabs);
    }

    [Fact]
    public async Task Delete_Confirmed_RemovesTheFolderAndItsFiles()
    {
        var cut = await ExplorerWithAsync(("game/main.py", ""), ("game/map.txt", ""), ("keep.py", ""));
        var deleting = cut.Find("button[aria-label='Delete game']").ClickAsync(new MouseEventArgs());

        Dialogs.WaitForAssertion(() => Assert.Contains("Delete the folder 'game' and everything in it?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new MouseEventArgs());
        await deleting;

        cut.WaitForAssertion(() => Assert.Equal(["keep.py"], cut.FindAll("[data-testid=explorer-item]").Select(e => e.GetAttribute("data-path"))));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsTheFile()
    {
        var cut = await ExplorerWithAsync(("keep.py", ""));
        var deleting = cut.Find("button[aria-label='Delete keep.py']").ClickAsync(new MouseEventArgs());

        Dialogs.WaitForAssertion(() => Assert.Contains("Delete 'keep.py'?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new MouseEventArgs());
        await deleting;

        Assert.True(Store.Project.IsFile("keep.py"));
    }

    [Fact]
    public async Task NameBox_FolderSelected_SaysTheNewFileGoesIntoIt()
    {
        var cut = await ExplorerWithAsync(("lib/util.py", ""));
        cut.Find("[data-testid=explorer-item][data-path='lib']").Click();

        cut.Find("[data-testid=new-file-button]").Click();

        Assert.Equal("New file in lib/", cut.Find("[data-testid=file-name-label]").TextContent);
    }

    [Fact]
    public async Task NameBox_NothingSelected_SaysTheNewFolderGoesToTheProjectRoot()
    {
        var cut = await ExplorerWithAsync(("lib/util.py", ""));

        cut.Find("[data-testid=new-folder-button]").Click();

        Assert.Equal("New folder at the project root", cut.Find("[data-testid=file-name-label]").TextContent);
    }

    [Fact]
    public async Task EmptySpaceBelowTheTree_ClickedWithAFolderSelected_NextNewFileGoesToTheRoot()
    {
        var cut = await ExplorerWithAsync(("lib/util.py", ""));
        cut.Find("[data-testid=explorer-item][data-path='lib']").Click();

        cut.Find("[data-testid=explorer-empty-space]").Click();
        cut.Find("[data-testid=new-file-button]").Click();

        Assert.Empty(cut.FindAll("[aria-selected=true]"));
        Assert.Equal("New file at the project root", cut.Find("[data-testid=file-name-label]").TextContent);
        await NameAsync(cut, "top.py");
        Assert.True(Store.Project.IsFile("top.py"));
    }

    [Fact]
    public async Task Escape_OnTheSelectedRow_NextNewFileGoesToTheRoot()
    {
        var cut = await ExplorerWithAsync(("lib/util.py", ""));
        cut.Find("[data-testid=explorer-item][data-path='lib/util.py']").Click();

        await cut.Find("[data-testid=explorer-item][data-path='lib/util.py']").KeyDownAsync(new KeyboardEventArgs { Key = "Escape" });
        cut.Find("[data-testid=new-file-button]").Click();

        Assert.Empty(cut.FindAll("[aria-selected=true]"));
        Assert.Equal("New file at the project root", cut.Find("[data-testid=file-name-label]").TextContent);
        await NameAsync(cut, "top.py");
        Assert.True(Store.Project.IsFile("top.py"));
    }

    [Fact]
    public async Task ImportZip_ZipBomb_RefusedWithTheTotalLimitAndAddsNothing()
    {
        var cut = await ExplorerWithAsync(("keep.py", ""));

        cut.FindComponents<InputFile>().Single(i => i.Instance.AdditionalAttributes?["data-input"] is "zip")
            .UploadFiles(InputFileContent.CreateFromBinary(ZipBomb.OfSpaces(), "bomb.zip"));

        cut.WaitForAssertion(() => Assert.Equal("The zip unpacks to more than 3 MB; the total size limit is 3 MB per project.", Error(cut)));
        Assert.Equal(["keep.py"], Store.Project.Files.Keys);
    }

    [Fact]
    public async Task Upload_FilesTogetherOverTheTotalLimit_RefusedBeforeAnyIsRead()
    {
        Limits.MaxFileBytes = 1024;
        Limits.MaxTotalBytes = 2048;
        JSInterop.SetupModule("./Components/Explorer/FileExplorer.razor.js").Setup<string[]>("relativePaths", _ => true).SetResult([]);
        var cut = await ExplorerWithAsync(("keep.py", ""));
        var text = new string('x', 1000);

        cut.FindComponents<InputFile>().Single(i => i.Instance.AdditionalAttributes?["data-input"] is "files")
            .UploadFiles(InputFileContent.CreateFromText(text, "a.txt"), InputFileContent.CreateFromText(text, "b.txt"), InputFileContent.CreateFromText(text, "c.txt"));

        cut.WaitForAssertion(() => Assert.Equal("Those files are 2.9 KB; the total size limit is 2 KB per project.", Error(cut)));
        Assert.Equal(["keep.py"], Store.Project.Files.Keys);
    }

    [Fact]
    public async Task StorageNote_NextToTheZipExport_SaysWhereWorkLives()
    {
        var cut = await ExplorerWithAsync();

        var footer = cut.Find(".explorer-footer");
        Assert.Contains("kept in this browser only", footer.QuerySelector("[data-testid=storage-note]")!.TextContent);
        Assert.NotNull(footer.QuerySelector("[data-testid=export-zip]"));
    }
}
