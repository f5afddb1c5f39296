using CodeRunner.Engine.Runs;

namespace CodeRunner.Web.Workspace;

/// <summary>Paths inside a project: relative, with <c>/</c> between folders, checked before anything is created.</summary>
public static class ProjectPath
{
    /// <summary>Trims spaces and slashes around the path and around each part, then applies the engine's path rules.</summary>
    /// <exception cref="WorkspaceException">The path breaks a rule; the message says which.</exception>
    public static string Normalize(string? path)
    {
        var parts = (path ?? "").Trim().Trim('/').Split('/').Select(p => p.Trim());
        var normalized = string.Join('/', parts);
        return ProjectPathRules.Problem(normalized) is { } problem ? throw new WorkspaceException(problem) : normalized;
    }

    public static string Combine(string? folder, string name) =>
        string.IsNullOrEmpty(folder) ? name : folder + "/" + name;

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static string Parent(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..i] : "";

    public static bool IsInside(string path, string folder) => path.StartsWith(folder + "/", StringComparison.Ordinal);

    /// <summary>Every folder above the path, outermost first: <c>a/b/c.py</c> gives <c>a</c> and <c>a/b</c>.</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }
}
