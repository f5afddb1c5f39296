using System.Globalization;
using System.Text;

namespace CodeRunner.Classroom.Accounts;

/// <summary>Students' names: what a name may hold, and the form in which two names are compared.</summary>
internal static class StudentNames
{
    public const int MaxLength = 40;

    /// <summary>The name as shown: trimmed, with every run of spaces made one space; null when it is not a valid name.</summary>
    public static string? Clean(string? typed)
    {
        var name = string.Join(' ', (typed ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return name.Length is > 0 and <= MaxLength && name.All(Allowed) ? name : null;
    }

    /// <summary>The name as compared: cleaned and upper case, so "ana  lopez" and "Ana Lopez" are one student.</summary>
    public static string Normalize(string cleanName) => cleanName.ToUpperInvariant();

    public const string Rule = "A name has 1 to 40 letters, digits, spaces, dashes, dots or apostrophes.";

    // Letters of any script (with their accents), digits, and the punctuation names have; nothing that could pass for
    // markup, a path or a control character.
    private static bool Allowed(char c) => char.IsLetterOrDigit(c) || c is ' ' or '-' or '\'' or '’' or '.' or '_'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>The name made safe as a folder name in an export.</summary>
    public static string FolderName(string name)
    {
        var folder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            folder.Append(c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c);
        }

        var safe = folder.ToString().Trim().Trim('.');
        return safe.Length == 0 ? "student" : safe;
    }
}
