using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace CodeRunner.Web.Components.Explorer;

/// <summary>
/// The project's files: a tree of folders, new file and folder, rename, delete with confirmation, uploads and zips.
/// Every refusal (a bad name, a limit) is shown above the tree in words.
/// </summary>
public sealed partial class FileExplorer : IAsyncDisposable
{
    private readonly HashSet<string> _collapsed = new(StringComparer.Ordinal);
    private ElementReference _inputs;
    private ElementReference _nameInput;
    private readonly JsAttachment _js = new();
    private PendingName? _pending;
    private string _name = "";
    private string? _error;
    private bool _focusName;

    /// <summary>A name being typed: for a new file or folder in <c>Folder</c>, or a new name for <c>Renaming</c>.</summary>
    private sealed record PendingName(string Label, string Placeholder, string? Folder, bool IsFolder, string? Renaming = null);

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private Classroom.ClassroomCircuit Classroom { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Called before the explorer changes files, so that the editor can hand over unsaved text first.</summary>
    [Parameter] public Func<Task>? BeforeChange { get; set; }

    /// <summary>Called after a file is opened from the explorer (picked or made), so that a phone's drawer can close.</summary>
    [Parameter] public EventCallback OnFileOpened { get; set; }

    public string? SelectedPath { get; private set; }

    public string? ActiveFile => Store.ActiveFile;

    public bool IsExpanded(string folder) => !_collapsed.Contains(folder);

    protected override void OnInitialized() => Store.Changed += OnStoreChanged;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await _js.AttachAsync(JS, "./Components/Explorer/FileExplorer.razor.js", "attach", _inputs);
        }

        if (_focusName)
        {
            _focusName = false;
            await _nameInput.FocusAsync();
        }
    }

    // SelectAsync, StartRename and DeleteAsync are called from an ExplorerNode's handlers, which re-render only that
    // node: they re-render the whole explorer themselves.
    public async Task SelectAsync(TreeNode node)
    {
        SelectedPath = node.Path;
        if (node.IsFolder)
        {
            if (!_collapsed.Remove(node.Path))
            {
                _collapsed.Add(node.Path);
            }
        }
        else
        {
            await BeforeAsync();
            Store.Open(node.Path);
            await OnFileOpened.InvokeAsync();
        }

        StateHasChanged();
    }

    /// <summary>The folder new files go into: the selected folder, or the selected file's folder; null for the root.</summary>
    private string? TargetFolder() => SelectedPath is { } path
        ? Store.Project.IsFolder(path) ? path : ProjectPath.Parent(path) is { Length: > 0 } parent ? parent : null
        : null;

    /// <summary>Clears the selection, so that the next new file or folder goes to the project root.</summary>
    private void Deselect() => SelectedPath = null;

    private void OnTreeKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            Deselect();
        }
    }

    private static string Where(string? folder) => folder is null ? "at the project root" : $"in {folder}/";

    private void StartNewFile() => StartNaming(new PendingName(
        $"New file {Where(TargetFolder())}", "name.py, or folder/name.py", TargetFolder(), IsFolder: false), "");

    private void StartNewFolder() => StartNaming(new PendingName(
        $"New folder {Where(TargetFolder())}", "folder name", TargetFolder(), IsFolder: true), "");

    public void StartRename(TreeNode node)
    {
        SelectedPath = node.Path;
        StartNaming(new PendingName($"Rename {node.Path} to", node.Name, null, node.IsFolder, node.Path), node.Name);
        StateHasChanged();
    }

    private void StartNaming(PendingName pending, string initial)
    {
        _pending = pending;
        _name = initial;
        _error = null;
        _focusName = true;
    }

    private async Task OnNameKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await CommitNameAsync();
        }
        else if (e.Key == "Escape")
        {
            _pending = null;
        }
    }

    private async Task OnNameBlurAsync()
    {
        // Leaving an empty box cancels; leaving a name keeps the box so that a mistake can be fixed.
        if (string.IsNullOrWhiteSpace(_name))
        {
            _pending = null;
        }

        await Task.CompletedTask;
    }

    private async Task CommitNameAsync()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        await BeforeAsync();
        if (Try(() =>
            {
                if (pending.Renaming is { } old)
                {
                    SelectedPath = Store.Rename(old, _name);
                }
                else if (pending.IsFolder)
                {
                    SelectedPath = Store.CreateFolder(pending.Folder, _name);
                    _collapsed.Remove(SelectedPath);
                }
                else
                {
                    SelectedPath = Store.CreateFile(pending.Folder, _name);
                }
            }))
        {
            _pending = null;
            if (pending is { Renaming: null, IsFolder: false })
            {
                await OnFileOpened.InvokeAsync();
            }
        }
    }

    public async Task DeleteAsync(TreeNode node)
    {
        var what = node.IsFolder ? $"the folder '{node.Path}' and everything in it" : $"'{node.Path}'";
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete?", $"Delete {what}? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await BeforeAsync();
            Try(() => Store.Delete(node.Path));
            if (SelectedPath == node.Path)
            {
                SelectedPath = null;
            }

            StateHasChanged();
        }
    }

    private bool Try(Action action)
    {
        try
        {
            action();
            _error = null;
            return true;
        }
        catch (WorkspaceException ex)
        {
            _error = ex.Message;
            return false;
        }
    }

    private async Task BeforeAsync()
    {
        if (BeforeChange is not null)
        {
            await BeforeChange();
        }
    }

    private void OnStoreChanged() => _ = InvokeAsync(StateHasChanged);

    public async ValueTask DisposeAsync()
    {
        Store.Changed -= OnStoreChanged;
        await _js.DisposeAsync();
    }
}
