namespace CodeRunner.Web.Workspace;

/// <summary>Monaco's language id for a file, from its extension.</summary>
public static class EditorLanguages
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = "python",
        [".js"] = "javascript",
        [".mjs"] = "javascript",
        [".cjs"] = "javascript",
        [".c"] = "c",
        [".h"] = "c",
        [".cpp"] = "cpp",
        [".cc"] = "cpp",
        [".cxx"] = "cpp",
        [".hpp"] = "cpp",
        [".java"] = "java",
        [".json"] = "json",
        [".md"] = "markdown",
        [".html"] = "html",
        [".css"] = "css",
        [".txt"] = "plaintext",
    };

    public static string For(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out var id) ? id : "plaintext";
}
