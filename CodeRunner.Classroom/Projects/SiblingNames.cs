namespace CodeRunner.Classroom.Projects;

/// <summary>
/// Names for a second file that belongs at a path already taken: the note goes before the extension, in brackets, so
/// that the file keeps its language: <c>main.py</c> beside <c>main (conflict 14.05).py</c> or <c>main (from teacher).py</c>.
/// </summary>
internal static class SiblingNames
{
    /// <summary>The first name with <paramref name="note"/>, then with " 2", " 3"… after it, for which <paramref name="accept"/> says yes.</summary>
    public static string First(string path, string note, Func<string, bool> accept)
    {
        for (var n = 1; ; n++)
        {
            var candidate = With(path, n == 1 ? note : $"{note} {n}");
            if (accept(candidate))
            {
                return candidate;
            }
        }
    }

    public static string With(string path, string note)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');

        // A dot that starts the name (".env") or sits in a folder's name is not an extension.
        return dot > slash + 1 ? $"{path[..dot]} ({note}){path[dot..]}" : $"{path} ({note})";
    }
}
