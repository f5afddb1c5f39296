using System.Text;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Runtimes;

/// <summary>
/// Reads a runtime's <c>examples/&lt;language id&gt;/</c> folders: the files the starter project shows for each language.
/// They are not part of the image (its hash leaves <c>examples/</c> out, see <see cref="RuntimeImageHash"/>).
/// </summary>
internal static class RuntimeExamples
{
    public const string Folder = "examples";

    /// <summary>At most this much of one language's examples: they go to every new student's browser.</summary>
    private const int MaxBytesPerLanguage = 256 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Load(string runtimeFolder, IReadOnlyList<Language> languages, Action<bool, string> require)
    {
        var examples = Path.Combine(runtimeFolder, Folder);
        if (!Directory.Exists(examples))
        {
            return;
        }

        require(!Directory.EnumerateFiles(examples).Any(), $"the files of {Folder}/ belong in a folder named after their language ({Folder}/<language id>/).");
        foreach (var folder in Directory.EnumerateDirectories(examples).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(folder);
            var language = languages.FirstOrDefault(l => l.Id == id);
            require(language is not null, $"{Folder}/{id}/ names no language of this runtime ({string.Join(", ", languages.Select(l => l.Id))}).");
            language!.Examples = Read(folder, id, require);
        }
    }

    private static List<LanguageExample> Read(string folder, string id, Action<bool, string> require)
    {
        var files = new List<LanguageExample>();
        var bytes = 0L;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var shown = $"{Folder}/{id}/{path}";
            var problem = ProjectPathRules.Problem($"{id}/{path}");
            require(problem is null, $"{shown}: {problem}");
            var data = File.ReadAllBytes(file);
            bytes += data.Length;
            require(bytes <= MaxBytesPerLanguage, $"the examples of '{id}' hold more than {MaxBytesPerLanguage / 1024} KB.");
            string text;
            try
            {
                text = StrictUtf8.GetString(data);
            }
            catch (DecoderFallbackException)
            {
                text = "";
                require(false, $"{shown} is not UTF-8 text.");
            }

            files.Add(new LanguageExample(path, text.ReplaceLineEndings("\n")));
        }

        return files;
    }
}
