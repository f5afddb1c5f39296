using CodeRunner.Engine;

namespace CodeRunner.Web.Api.Judge0;

/// <summary>
/// Judge0 CE's numbers for what this server has: its language ids (several Judge0 versions of a language run on ours)
/// and its statuses. docs/api.md lists the mapping.
/// </summary>
public static class Judge0Catalog
{
    /// <summary>Judge0 CE language ids and the language of ours each runs on; the first of a language is the one listed first.</summary>
    public static readonly IReadOnlyList<(int Id, string Language, string Judge0Name)> Languages =
    [
        (46, "bash", "Bash (5.0.0)"),
        (50, "c", "C (GCC 9.2.0)"),
        (48, "c", "C (GCC 7.4.0)"),
        (49, "c", "C (GCC 8.3.0)"),
        (51, "csharp", "C# (Mono 6.6.0.161)"),
        (54, "cpp", "C++ (GCC 9.2.0)"),
        (52, "cpp", "C++ (GCC 7.4.0)"),
        (53, "cpp", "C++ (GCC 8.3.0)"),
        (60, "go", "Go (1.13.5)"),
        (95, "go", "Go (1.18.5)"),
        (62, "java", "Java (OpenJDK 13.0.1)"),
        (91, "java", "Java (JDK 17.0.6)"),
        (63, "javascript", "JavaScript (Node.js 12.14.0)"),
        (93, "javascript", "JavaScript (Node.js 18.15.0)"),
        (71, "python", "Python (3.8.1)"),
        (92, "python", "Python (3.11.2)"),
        (73, "rust", "Rust (1.40.0)"),
        (74, "typescript", "TypeScript (3.7.4)"),
        (94, "typescript", "TypeScript (5.0.3)"),
    ];

    /// <summary>Judge0's statuses, by id.</summary>
    public static readonly IReadOnlyDictionary<int, string> Statuses = new Dictionary<int, string>
    {
        [1] = "In Queue",
        [2] = "Processing",
        [3] = "Accepted",
        [4] = "Wrong Answer",
        [5] = "Time Limit Exceeded",
        [6] = "Compilation Error",
        [7] = "Runtime Error (SIGSEGV)",
        [8] = "Runtime Error (SIGXFSZ)",
        [9] = "Runtime Error (SIGFPE)",
        [10] = "Runtime Error (SIGABRT)",
        [11] = "Runtime Error (NZEC)",
        [12] = "Runtime Error (Other)",
        [13] = "Internal Error",
        [14] = "Exec Format Error",
    };

    public const int Processing = 2, Accepted = 3, WrongAnswer = 4, InternalError = 13;

    public static Judge0Status Status(int id) => new(id, Statuses[id]);

    /// <summary>Our language for a Judge0 id, when this server runs it.</summary>
    public static LanguageInfo? Find(int id, IReadOnlyList<LanguageInfo> languages) =>
        Languages.Where(l => l.Id == id).Select(l => languages.FirstOrDefault(x => x.Id == l.Language)).FirstOrDefault();

    /// <summary>The Judge0 languages this server runs, with Judge0's id and our name (and the Judge0 version it stands for).</summary>
    public static IEnumerable<Judge0Language> Listed(IReadOnlyList<LanguageInfo> languages) =>
        from l in Languages
        let ours = languages.FirstOrDefault(x => x.Id == l.Language)
        where ours is not null
        orderby l.Id
        select new Judge0Language(l.Id, $"{ours.DisplayName} (for {l.Judge0Name})");

    /// <summary>The file a Judge0 submission's source goes in: Judge0 names it by language (Java's class must be Main).</summary>
    public static string SourceFile(LanguageInfo language) =>
        language.Id == "java" ? "Main.java" : "main" + language.Extensions[0];
}
