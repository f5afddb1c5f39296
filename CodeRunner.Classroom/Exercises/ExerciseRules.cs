using System.Text.RegularExpressions;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;

namespace CodeRunner.Classroom.Exercises;

/// <summary>What an exercise may hold, checked when it is saved and when its zip is read; each message names the field or case.</summary>
public static class ExerciseRules
{
    public const int MaxTitleLength = 120;
    public const int MaxStatementBytes = 64 * 1024;
    public const int MaxCases = 50;
    public const int MaxCaseNameLength = 60;
    public const int MaxCaseBytes = 1024 * 1024;

    /// <summary>All the cases' input and expected output together, so that an exercise stays a size a database row and a zip carry well.</summary>
    public const int MaxCasesTotalBytes = 16 * 1024 * 1024;
    public const int MaxPoints = 1000;
    public const int MinTimeLimitMs = 100;
    public const int MaxTimeLimitMs = 60_000;
    public const int MinMemoryLimitMb = 16;
    public const int MaxMemoryLimitMb = 1024;

    /// <summary>The draft as it is stored: title trimmed, language in lower case (null when none), deadline in UTC.</summary>
    /// <exception cref="ClassroomException">The draft breaks a rule.</exception>
    public static ExerciseDraft Check(ExerciseDraft draft, ExerciseLimits limits)
    {
        var title = draft.Title?.Trim() ?? "";
        if (title.Length is 0 or > MaxTitleLength)
        {
            throw new ClassroomException($"An exercise needs a title of 1 to {MaxTitleLength} characters.");
        }

        var statement = draft.Statement ?? "";
        if (Sizes.Of(statement) > MaxStatementBytes)
        {
            throw new ClassroomException(
                $"The statement is {Sizes.Format(Sizes.Of(statement))}; the most is {Sizes.Format(MaxStatementBytes)}. Shorten it.");
        }

        var language = CheckLanguage(draft.Language, limits.KnownLanguages);
        CheckFiles("starter", draft.StarterFiles ?? [], limits);
        CheckFiles("solution", draft.SolutionFiles ?? [], limits);
        var entryFile = draft.EntryFile?.Trim() ?? "";
        if (limits.PathProblem(entryFile) is { } problem)
        {
            throw new ClassroomException($"The entry file: {problem}");
        }

        if (!(draft.StarterFiles ?? []).Concat(draft.SolutionFiles ?? []).Any(f => f.Path == entryFile))
        {
            throw new ClassroomException($"The entry file '{entryFile}' is neither a starter file nor a solution file; add it or name another.");
        }

        var cases = draft.Cases ?? [];
        if (cases.Count > MaxCases)
        {
            throw new ClassroomException($"The exercise has {cases.Count} cases; the most is {MaxCases}.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var @case in cases)
        {
            CheckCase(@case, names, limits);
        }

        var total = cases.Sum(c => Sizes.Of(c.Stdin ?? "") + Sizes.Of(c.ExpectedOutput));
        if (total > MaxCasesTotalBytes)
        {
            throw new ClassroomException(
                $"The cases hold {Sizes.Format(total)} of input and expected output in all; the most is {Sizes.Format(MaxCasesTotalBytes)}.");
        }

        return draft with
        {
            Title = title,
            Statement = statement,
            Language = language,
            EntryFile = entryFile,
            Deadline = draft.Deadline is { } due ? Clock.Stored(due) : null,
            StarterFiles = draft.StarterFiles ?? [],
            SolutionFiles = draft.SolutionFiles ?? [],
            Cases = [.. cases.Select(c => c with { Stdin = c.Stdin ?? "" })],
        };
    }

    private static string? CheckLanguage(string? language, IReadOnlyCollection<string> known)
    {
        language = string.IsNullOrWhiteSpace(language) ? null : language.Trim().ToLowerInvariant();
        if (language is not null && known.Count > 0 && !known.Contains(language, StringComparer.OrdinalIgnoreCase))
        {
            throw new ClassroomException(
                $"unknown language '{language}'; this server runs: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }

        return language;
    }

    private static void CheckFiles(string role, IReadOnlyList<(string Path, string Content)> files, ExerciseLimits limits)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            if (limits.PathProblem(path) is { } problem)
            {
                throw new ClassroomException($"A {role} file: {problem}");
            }

            if (!paths.Add(path))
            {
                throw new ClassroomException($"The {role} file '{path}' is there twice; keep one.");
            }

            if (Sizes.Of(content ?? "") > limits.Project.MaxFileBytes)
            {
                throw new ClassroomException(
                    $"The {role} file '{path}' is {Sizes.Format(Sizes.Of(content ?? ""))}; the file size limit is {Sizes.Format(limits.Project.MaxFileBytes)} per file.");
            }
        }

        if (files.Count > limits.Project.MaxFiles || files.Sum(f => Sizes.Of(f.Content ?? "")) > limits.Project.MaxTotalBytes)
        {
            throw new ClassroomException(
                $"The {role} files are more than a project holds: at most {limits.Project.MaxFiles} files and {Sizes.Format(limits.Project.MaxTotalBytes)}.");
        }
    }

    private static void CheckCase(CaseDraft @case, HashSet<string> names, ExerciseLimits limits)
    {
        var name = @case.Name ?? "";
        if (name.Length is 0 or > MaxCaseNameLength || name.Trim() != name)
        {
            throw new ClassroomException($"Case '{name}' needs a name of 1 to {MaxCaseNameLength} characters, without spaces around it.");
        }

        if (name.Contains('/') || limits.PathProblem($"tests/{name}.in") is not null)
        {
            throw new ClassroomException(
                $"Case '{name}' has a name that cannot be a file name (tests/{name}.in); use letters, digits, '-' and '_'.");
        }

        if (!names.Add(name))
        {
            throw new ClassroomException($"There are two cases named '{name}'; give each case its own name.");
        }

        if (@case.ExpectedOutput is null)
        {
            throw new ClassroomException($"Case '{name}' has no expected output; give it one (it may be empty).");
        }

        CheckSize(name, "input", @case.Stdin ?? "");
        CheckSize(name, "expected output", @case.ExpectedOutput);
        if (@case.Points is < 0 or > MaxPoints)
        {
            throw new ClassroomException($"Case '{name}' is worth {@case.Points} points; a case is worth 0 to {MaxPoints}.");
        }

        if (@case.TimeLimitMs is < MinTimeLimitMs or > MaxTimeLimitMs)
        {
            throw new ClassroomException(
                $"Case '{name}' has a time limit of {@case.TimeLimitMs} ms; it must be from {MinTimeLimitMs} ms to {MaxTimeLimitMs / 1000} s.");
        }

        if (@case.MemoryLimitMb is < MinMemoryLimitMb or > MaxMemoryLimitMb)
        {
            throw new ClassroomException(
                $"Case '{name}' has a memory limit of {@case.MemoryLimitMb} MB; it must be from {MinMemoryLimitMb} to {MaxMemoryLimitMb} MB.");
        }

        if (!Enum.IsDefined(@case.Comparison))
        {
            throw new ClassroomException($"Case '{name}' has an unknown comparison; use TrimTrailing, Exact, Tokens, Numbers or Regex.");
        }

        if (!double.IsFinite(@case.AbsoluteTolerance) || @case.AbsoluteTolerance < 0
            || !double.IsFinite(@case.RelativeTolerance) || @case.RelativeTolerance < 0)
        {
            throw new ClassroomException($"Case '{name}' has a negative or endless tolerance; a tolerance is 0 or more.");
        }

        if (@case.Comparison == CaseComparison.Regex)
        {
            try
            {
                _ = new Regex(@case.ExpectedOutput, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ClassroomException($"Case '{name}' compares by regular expression, but its expected output is not one: {ex.Message}");
            }
        }
    }

    private static void CheckSize(string name, string what, string text)
    {
        var bytes = Sizes.Of(text);
        if (bytes > MaxCaseBytes)
        {
            throw new ClassroomException(
                $"case '{name}' has {Sizes.Format(bytes)} of {what}; the most is {Sizes.Format(MaxCaseBytes)}");
        }
    }
}
