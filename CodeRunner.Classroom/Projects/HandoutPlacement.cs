namespace CodeRunner.Classroom.Projects;

/// <summary>Where a handed-out file goes in one student's project, so that a student's own work is never overwritten.</summary>
internal static class HandoutPlacement
{
    public const string Note = "from teacher";

    /// <summary>
    /// The file's own path when the project has nothing there; nothing (null) when the project already has the same text
    /// there or under a "from teacher" name (the file was handed out before); else the first free "from teacher" name.
    /// </summary>
    public static string? PathFor(string path, string content, IReadOnlyDictionary<string, string> project)
    {
        if (!project.TryGetValue(path, out var own))
        {
            return path;
        }

        if (own == content)
        {
            return null;
        }

        string? copy = null;
        SiblingNames.First(path, Note, candidate =>
        {
            if (!project.TryGetValue(candidate, out var existing))
            {
                copy = candidate;
                return true;
            }

            return existing == content;
        });
        return copy;
    }
}
