using System.Buffers.Text;
using Ganss.Xss;

namespace CodeRunner.Web.Notebooks;

/// <summary>How a rich output is shown: which of its types, and that type made safe for the page.</summary>
public static class NotebookOutputs
{
    /// <summary>The types shown, richest first, as Jupyter picks them.</summary>
    private static readonly string[] Shown = ["image/png", "image/jpeg", "image/gif", "text/html", "text/markdown", "text/plain"];

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The type of <paramref name="data"/> to show, or null when none can be.</summary>
    public static string? Choose(IReadOnlyDictionary<string, string> data) => Shown.FirstOrDefault(data.ContainsKey);

    /// <summary>A <c>data:</c> address for an image's base64 (as nbformat keeps it, perhaps split over lines); an empty one when it is not base64.</summary>
    public static string ImageSource(string mime, string base64)
    {
        var compact = string.Concat(base64.Where(c => !char.IsWhiteSpace(c)));
        return Base64.IsValid(compact) ? $"data:{mime};base64,{compact}" : "";
    }

    /// <summary>
    /// HTML from a cell (a pandas table, say) with everything that could run removed: scripts, event handlers, styles
    /// that reach outside it, forms, frames and addresses other than http, https and data images.
    /// </summary>
    public static string SafeHtml(string html) => Sanitizer.Sanitize(html);

    private static readonly string[] DataImages = ["data:image/png;", "data:image/jpeg;", "data:image/gif;"];

    private static bool IsDataImage(string url) => DataImages.Any(p => url.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedSchemes.Add("data");
        sanitizer.FilterUrl += (_, e) =>
        {
            // data: only for the picture of an <img> that an output embeds: never a link, a frame or a style
            if (e.OriginalUrl.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                && !(e.Tag.LocalName == "img" && IsDataImage(e.OriginalUrl.TrimStart())))
            {
                e.SanitizedUrl = null;
            }
        };
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        return sanitizer;
    }
}
