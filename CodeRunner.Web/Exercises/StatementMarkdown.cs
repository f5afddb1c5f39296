using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CodeRunner.Web.Exercises;

/// <summary>
/// An exercise's statement as HTML: Markdown rendered by Markdig with raw HTML shown as text, and every link or image
/// whose address could run script (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c> and the like) made inert. Nothing a
/// teacher writes, or pastes from elsewhere, runs in a student's page.
/// </summary>
public static class StatementMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .DisableHtml() // raw HTML, such as <script>, is written out as text
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "";
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(autolink.Url))
            {
                autolink.Url = "";
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>A relative address, an anchor, or one of http, https and mailto; whatever the case or the white space in it.</summary>
    internal static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        // Browsers ignore control characters and white space inside a scheme ("java\tscript:"), so compare without them.
        var compact = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':');
        if (colon < 0)
        {
            return true;
        }

        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon)
        {
            return true; // "a/b:c" is a relative path, not a scheme
        }

        var scheme = compact[..colon];
        return SafeSchemes.Any(s => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase));
    }
}
