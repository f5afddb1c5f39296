using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Web.Components.Explorer;

/// <summary>One row of the explorer (and, for an open folder, its children); the explorer owns the state.</summary>
public sealed partial class ExplorerNode
{
    [Parameter, EditorRequired] public TreeNode Node { get; set; } = default!;
    [Parameter, EditorRequired] public FileExplorer Explorer { get; set; } = default!;

    private bool Expanded => Explorer.IsExpanded(Node.Path);
    private bool Selected => Explorer.SelectedPath == Node.Path;
    private bool Active => !Node.IsFolder && Explorer.ActiveFile == Node.Path;

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        switch (e.Key)
        {
            case "Enter" or " ":
                await Explorer.SelectAsync(Node);
                break;
            case "F2":
                Explorer.StartRename(Node);
                break;
            case "Delete":
                await Explorer.DeleteAsync(Node);
                break;
        }
    }
}
