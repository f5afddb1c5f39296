namespace CodeRunner.Web.Workspace;

/// <summary>A file or folder of the explorer, with its children sorted folders first, then by name.</summary>
public sealed record TreeNode(string Path, string Name, bool IsFolder, IReadOnlyList<TreeNode> Children, int Depth);

/// <summary>Turns a project's flat paths into the explorer's tree.</summary>
public static class ProjectTree
{
    public static IReadOnlyList<TreeNode> Build(Project project) => ChildrenOf("", 0, project);

    private static List<TreeNode> ChildrenOf(string folder, int depth, Project project)
    {
        bool IsChild(string path) => ProjectPath.Parent(path) == folder;
        var folders = project.Folders.Where(IsChild)
            .Select(f => new TreeNode(f, ProjectPath.Name(f), true, ChildrenOf(f, depth + 1, project), depth));
        var files = project.Paths.Where(IsChild)
            .Select(f => new TreeNode(f, ProjectPath.Name(f), false, [], depth));
        return folders.OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
            .Concat(files.OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase))
            .ToList();
    }
}
