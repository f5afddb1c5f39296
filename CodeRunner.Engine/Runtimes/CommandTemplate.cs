using System.Text.RegularExpressions;

namespace CodeRunner.Engine.Runtimes;

/// <summary>
/// Expands a manifest command. Placeholders: <c>{entry}</c> (the entry file), <c>{sources}</c> (every file of the
/// language, as separate arguments), <c>{build}</c> and <c>{workdir}</c> (folders in the container), and
/// <c>{mainClass}</c> (the entry file's class, with the package its source declares).
/// </summary>
internal static partial class CommandTemplate
{
    public static List<string> Expand(IReadOnlyList<string> template, Language language, string entry,
        IReadOnlyList<(string Path, string Text)> files, string workdir, string build)
    {
        var result = new List<string>(template.Count + files.Count);
        foreach (var argument in template)
        {
            if (argument == "{sources}")
            {
                result.AddRange(files.Where(f => language.IsSource(f.Path)).Select(f => f.Path));
                continue;
            }

            var expanded = argument
                .Replace("{entry}", entry, StringComparison.Ordinal)
                .Replace("{build}", build, StringComparison.Ordinal)
                .Replace("{workdir}", workdir, StringComparison.Ordinal);
            if (expanded.Contains("{mainClass}", StringComparison.Ordinal))
            {
                expanded = expanded.Replace("{mainClass}", MainClass(entry, files), StringComparison.Ordinal);
            }

            result.Add(expanded);
        }

        return result;
    }

    private static string MainClass(string entry, IReadOnlyList<(string Path, string Text)> files)
    {
        var stem = Path.GetFileNameWithoutExtension(entry);
        var source = files.FirstOrDefault(f => f.Path == entry).Text ?? "";
        var package = PackageDeclaration().Match(source);
        return package.Success ? $"{package.Groups[1].Value}.{stem}" : stem;
    }

    [GeneratedRegex(@"^\s*package\s+([A-Za-z_][\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex PackageDeclaration();
}
