using CodeRunner.Web.Workspace;

namespace CodeRunner.Web.Classroom;

/// <summary>How a browser's solo work joins a class project: beside what is there, never over it.</summary>
public static class SoloWork
{
    /// <summary>
    /// The solo files to add: under their own path when the class project has no such file (or the same text), else
    /// under a name that says where they came from, such as <c>main (from this browser).py</c>.
    /// </summary>
    public static IReadOnlyList<(string Path, string Content)> Merge(IReadOnlyDictionary<string, string> project,
        IReadOnlyDictionary<string, string> solo) =>
        Merge(project.ToDictionary(f => f.Key, f => FileContent.FromText(f.Value), StringComparer.Ordinal),
                solo.Select(f => (f.Key, FileContent.FromText(f.Value))))
            .Select(f => (f.Path, f.Content.Text!)).ToList();

    /// <summary>The solo files, text and binary, to add, as <see cref="Merge(IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string})"/> says.</summary>
    public static IReadOnlyList<(string Path, FileContent Content)> Merge(IReadOnlyDictionary<string, FileContent> project,
        IEnumerable<(string Path, FileContent Content)> solo)
    {
        var taken = new HashSet<string>(project.Keys, StringComparer.Ordinal);
        var merged = new List<(string, FileContent)>();
        foreach (var (path, content) in solo.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (project.TryGetValue(path, out var existing) && existing == content)
            {
                continue;
            }

            var target = taken.Contains(path) ? FreeName(path, taken) : path;
            taken.Add(target);
            merged.Add((target, content));
        }

        return merged;
    }

    private static string FreeName(string path, HashSet<string> taken)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        var (stem, extension) = dot > slash + 1 ? (path[..dot], path[dot..]) : (path, "");
        for (var n = 1; ; n++)
        {
            var candidate = $"{stem} (from this browser{(n == 1 ? "" : $" {n}")}){extension}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }
}
