namespace CodeRunner.Engine.Runs;

/// <summary>The rules for a path inside a project, shared by the engine's runs and the IDE's explorer.</summary>
public static class ProjectPathRules
{
    public const int MaxLength = 255;
    public const int MaxDepth = 16;

    /// <summary>What Windows, and so a zip a student downloads and opens there, cannot hold in a file name.</summary>
    public const string ForbiddenCharacters = "\\:*?\"<>|";

    private const int Shown = 60;

    /// <summary>
    /// Null when the path is relative, has <c>/</c> between folders, no empty, <c>.</c> or <c>..</c> part, no control
    /// character nor any of <see cref="ForbiddenCharacters"/>, and is within the limits; otherwise a sentence that
    /// says what to change.
    /// </summary>
    public static string? Problem(string? path, int maxLength = MaxLength, int maxDepth = MaxDepth)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "The name is empty.";
        }

        if (path.Length > maxLength)
        {
            return $"The path '{Show(path)}' is longer than {maxLength} characters.";
        }

        if (path[0] == '/' || path.Contains('\\') || (path.Length > 1 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            return $"The path '{Show(path)}' must be relative to the project, with / between folders.";
        }

        var parts = path.Split('/');
        if (parts.Any(p => p is "" or "." or ".."))
        {
            return $"The path '{Show(path)}' has an empty, '.' or '..' part.";
        }

        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                if (char.IsControl(c) || ForbiddenCharacters.Contains(c))
                {
                    var what = char.IsControl(c) ? $"the control character U+{(int)c:X4}" : $"'{c}'";
                    return $"The name '{Show(part)}' contains {what}, a character that cannot be used in file names " +
                        "(\\ : * ? \" < > | and control characters such as a newline).";
                }
            }
        }

        if (parts.Length > maxDepth)
        {
            return $"The path '{Show(path)}' is nested deeper than {maxDepth} folders.";
        }

        return null;
    }

    /// <summary>The text as a message can show it: cut short, and with control characters made visible.</summary>
    private static string Show(string text)
    {
        var shown = text.Length > Shown ? text[..Shown] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '\uFFFD' : c));
    }
}
