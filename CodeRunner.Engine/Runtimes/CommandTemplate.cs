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
/// <item><c>{packageSources}</c> (a whole argument): Go's package of the entry file: the entry, then the other files of
/// the language in its own folder (not below: a Go package is one folder), leaving out any that declares its own
/// <c>func main</c> and Go's <c>_test.go</c> files.</item>
/// <item><c>{entryStem}</c>: the entry file without its extension (<c>src/main</c> for <c>src/main.ts</c>).</item>
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
    private IReadOnlyList<string>? _packageSources;
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

            if (argument == "{packageSources}")
            {
                result.AddRange(_packageSources ??= PackageSources());
                continue;
            }

            var expanded = argument
                .Replace("{entryStem}", Path.ChangeExtension(entry, null), StringComparison.Ordinal)
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
    private List<string> Sources(Func<ReadOnlyMemory<byte>, bool> isProgram, Func<string, bool>? include = null)
    {
        var prefix = _entryFolder.Length == 0 ? "" : _entryFolder + "/";
        var others = files
            .Where(f => f.Path != entry && f.Path.StartsWith(prefix, StringComparison.Ordinal) && language.IsSource(f.Path))
            .Where(f => (include is null || include(f.Path)) && !isProgram(f.Content))
            .Select(f => f.Path)
            .Order(StringComparer.Ordinal);
        return [entry, .. others];
    }

    /// <summary>The same rule for Go, whose package is the entry's folder alone, and whose tests are not the program's.</summary>
    private List<string> PackageSources() => Sources(
        content => GoMainFunction.IsDefinedIn(content.Span),
        path => path.IndexOf('/', _entryFolder.Length == 0 ? 0 : _entryFolder.Length + 1) < 0
                && !path.EndsWith("_test.go", StringComparison.Ordinal));

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
