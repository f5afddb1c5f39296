namespace CodeRunner.Web.Workspace;

/// <summary>How a project's file is shown when opened: in the editor (null), or as a preview of one kind.</summary>
public static class FileKinds
{
    public const string Image = "image";
    public const string Csv = "csv";
    public const string Markdown = "markdown";
    public const string Binary = "binary";

    /// <summary>
    /// Images a browser shows in an <c>img</c> element. SVG is among them only as an image: in an <c>img</c>, from a
    /// <c>data:</c> URL, its scripts never run and it reaches nothing of the page; it is never put in the page as HTML.
    /// </summary>
    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".svg"] = "image/svg+xml",
    };

    /// <summary>
    /// The preview a file gets: an image by its name, CSV and Markdown when they are text, any other binary file as
    /// its size and a download; null for a text file the editor shows.
    /// </summary>
    public static string? PreviewOf(string path, FileContent content)
    {
        var extension = Path.GetExtension(path);
        if (IsImage(path))
        {
            return Image;
        }

        if (!content.IsText)
        {
            return Binary;
        }

        return extension.ToLowerInvariant() switch
        {
            ".csv" => Csv,
            ".md" or ".markdown" => Markdown,
            _ => null,
        };
    }

    /// <summary>True for a file the browser shows as an image, by its extension.</summary>
    public static bool IsImage(string path) => ImageTypes.ContainsKey(Path.GetExtension(path));

    /// <summary>The content type a download or a <c>data:</c> URL of the file says.</summary>
    public static string ContentType(string path, bool isText) =>
        ImageTypes.GetValueOrDefault(Path.GetExtension(path)) ?? (isText ? "text/plain;charset=utf-8" : "application/octet-stream");
}
