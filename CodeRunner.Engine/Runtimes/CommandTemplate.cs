using System.Text;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Runtimes;

/// <summary>
/// Expands a manifest's commands for one run. Each placeholder is worked out once, and only when a command uses it;
/// all of them take time linear in the files they read. Placeholders (every path relative to <c>{workdir}</c>):
/// <list type="bullet">
/// <item><c>{entry}</c>: the entry file.</item>
/// <item><c>{sources}</c> (a whole argument; it becomes several): the entry file, then the other files of the
/// language in the entry file's folder and below, leaving out any that defines its own <c>main</c> function.</item>
/// <item><c>{csharpSources}</c>: the same for C#, leaving out any file that holds its own entry point (top-level
/// statements or a static <c>Main</c>).</item>
/// <item><c>{sourcepath}</c>: the entry's package root, then the project root (<c>.</c>), joined with <c>:</c>.</item>
/// <item><c>{mainClass}</c>: the entry file's class, with the package its source declares.</item>
/// <item><c>{build}</c> and <c>{workdir}</c>: the build folder and the workspace, in the container.</item>
/// </list>
/// </summary>
internal sealed class CommandTemplate(Language language, string entry, IReadOnlyList<SourceFile> files, string workdir, string build)
{
    private const string ProjectRoot = ".";

    private readonly string _entryFolder = entry.LastIndexOf('/') is var slash and >= 0 ? entry[..slash] : "";
    private IReadOnlyList<string>? _sources;
    private IReadOnlyList<string>? _csharpSources;
    private string? _package;
    private bool _packageRead;

    public List<string> Expand(IReadOnlyList<string> template)
    {
        var result = new List<string>(template.Count);
        foreach (var argument in template)
        {
            if (argument == "{sources}")
            {
                result.AddRange(_sources ??= Sources(content => MainFunction.IsDefinedIn(content.Span)));
                continue;
            }

            if (argument == "{csharpSources}")
            {
                result.AddRange(_csharpSources ??= Sources(content => CSharpEntryPoint.IsDeclaredIn(Encoding.UTF8.GetString(content.Span))));
                continue;
            }

            var expanded = argument
                .Replace("{entry}", entry, StringComparison.Ordinal)
                .Replace("{build}", build, StringComparison.Ordinal)
                .Replace("{workdir}", workdir, StringComparison.Ordinal);
            if (expanded.Contains("{sourcepath}", StringComparison.Ordinal))
            {
                expanded = expanded.Replace("{sourcepath}", SourcePath(), StringComparison.Ordinal);
            }

            if (expanded.Contains("{mainClass}", StringComparison.Ordinal))
            {
                expanded = expanded.Replace("{mainClass}", MainClass(), StringComparison.Ordinal);
            }

            result.Add(expanded);
        }

        return result;
    }

    /// <summary>
    /// A course's project holds a folder per exercise, each with its own main: compiling them together fails with
    /// "multiple definition of main", so an exercise takes only what lies beside and below its entry file.
    /// </summary>
    private List<string> Sources(Func<ReadOnlyMemory<byte>, bool> isProgram)
    {
        var prefix = _entryFolder.Length == 0 ? "" : _entryFolder + "/";
        var others = files
            .Where(f => f.Path != entry && f.Path.StartsWith(prefix, StringComparison.Ordinal) && language.IsSource(f.Path))
            .Where(f => !isProgram(f.Content))
            .Select(f => f.Path)
            .Order(StringComparer.Ordinal);
        return [entry, .. others];
    }

    /// <summary>
    /// Where javac looks for the classes the entry file uses, so that it compiles only those: the package root
    /// first (the entry's folder without the package's folders at its end, or the folder itself when it does not
    /// end with them), then the project root.
    /// </summary>
    private string SourcePath()
    {
        var packageFolders = Package()?.Replace('.', '/');
        var root = packageFolders is null ? _entryFolder
            : _entryFolder == packageFolders ? ""
            : _entryFolder.EndsWith("/" + packageFolders, StringComparison.Ordinal) ? _entryFolder[..^(packageFolders.Length + 1)]
            : _entryFolder;
        return root.Length == 0 ? ProjectRoot : $"{root}:{ProjectRoot}";
    }

    private string MainClass()
    {
        var name = Path.GetFileNameWithoutExtension(entry);
        return Package() is { } package ? $"{package}.{name}" : name;
    }

    private string? Package()
    {
        if (!_packageRead)
        {
            _package = JavaPackage.Read(files.First(f => f.Path == entry).Content.Span);
            _packageRead = true;
        }

        return _package;
    }
}
