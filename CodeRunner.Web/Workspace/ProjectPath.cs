namespace CodeRunner.Web.Workspace;

/// <summary>Paths inside a project: relative, with <c>/</c> between folders, checked before anything is created.</summary>
public static class ProjectPath
{
    public const int MaxLength = 255;
    public const int MaxDepth = 16;
    private const string Forbidden = "\\:*?\"<>|";

    /// <summary>Trims spaces and slashes around the path and around each part, or throws with a readable reason.</summary>
    public static string Normalize(string? path)
    {
        var parts = (path ?? "").Trim().Trim('/').Split('/').Select(p => p.Trim()).ToArray();
        var normalized = string.Join('/', parts);
        if (normalized.Length == 0)
        {
            throw new WorkspaceException("The name is empty.");
        }

        if (normalized.Length > MaxLength)
        {
            throw new WorkspaceException($"The path '{Shorten(normalized)}' is longer than {MaxLength} characters.");
        }

        if (parts.Length > MaxDepth)
        {
            throw new WorkspaceException($"The path '{Shorten(normalized)}' is nested deeper than {MaxDepth} folders.");
        }

        foreach (var part in parts)
        {
            if (part is "" or "." or "..")
            {
                throw new WorkspaceException($"The path '{Shorten(normalized)}' has an empty, '.' or '..' part.");
            }

            if (part.Any(c => char.IsControl(c) || Forbidden.Contains(c)))
            {
                throw new WorkspaceException($"The name '{Shorten(part)}' contains a character that cannot be used in file names ({Forbidden} or a control character).");
            }
        }

        return normalized;
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

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
