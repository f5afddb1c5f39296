using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;

namespace CodeRunner.Web.Api;

/// <summary>A checked request, in the engine's terms: an ordinary run, or a test run when it has cases.</summary>
public sealed record ApiProgram(RunRequest Run, IReadOnlyList<TestCase>? Cases)
{
    public TestRunRequest TestRun => new()
    {
        Files = Run.Files,
        EntryFile = Run.EntryFile,
        Language = Run.Language,
        Cases = Cases ?? [],
    };

    /// <summary>
    /// Checks what the engine cannot check itself (fields present, a known language, an entry among the files) and
    /// turns the request into the engine's. Problems are keyed by the field's JSON path, as a ValidationProblem shows them.
    /// </summary>
    public static ApiProgram? From(ApiRunRequest request, IReadOnlyList<LanguageInfo> languages, Dictionary<string, string[]> errors,
        bool stdinOpen = false)
    {
        var files = new List<SourceFile>();
        if (request.Files is not { Count: > 0 })
        {
            errors["files"] = ["Give at least one file: [{\"path\": \"main.py\", \"content\": \"print(1)\"}]."];
        }
        else
        {
            for (var i = 0; i < request.Files.Count; i++)
            {
                var file = request.Files[i];
                if (file?.Path is not { Length: > 0 } path)
                {
                    errors[$"files[{i}].path"] = ["Each file needs a path, such as main.py."];
                    continue;
                }

                if (file.Content is null)
                {
                    errors[$"files[{i}].content"] = [$"The file {path} has no content (an empty file is \"\")."];
                    continue;
                }

                files.Add(SourceFile.Text(path, file.Content));
            }
        }

        var entry = request.Entry ?? (files.Count == 1 ? files[0].Path : null);
        if (entry is null)
        {
            errors.TryAdd("entry", ["Name the file to run: there is more than one file."]);
        }
        else if (files.Count > 0 && !files.Any(f => f.Path == entry))
        {
            errors["entry"] = [$"The entry file '{entry}' is not among the files."];
        }

        var language = Language(request.Language, entry, languages, errors);
        var limits = Limits(request.Limits, "limits", errors);
        var cases = request.TestCases is null ? null : ParseCases(request.TestCases, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        var run = new RunRequest
        {
            Files = files,
            EntryFile = entry!,
            Language = language,
            Arguments = request.Args ?? [],
            Limits = limits,
        };
        // Input given, or none at all (end-of-input at once, so a program that reads does not wait); the stream keeps it open.
        run = request.Stdin is { } stdin ? run with { StdinText = stdin } : stdinOpen ? run : run with { Stdin = ReadOnlyMemory<byte>.Empty };
        return new ApiProgram(run, cases);
    }

    private static string? Language(string? asked, string? entry, IReadOnlyList<LanguageInfo> languages, Dictionary<string, string[]> errors)
    {
        if (asked is null)
        {
            var byExtension = entry is null ? null : languages.FirstOrDefault(l => l.Extensions.Contains(Path.GetExtension(entry), StringComparer.OrdinalIgnoreCase));
            if (entry is not null && byExtension is null)
            {
                errors["language"] = [$"No language runs '{entry}' by its extension: name one ({Known(languages)})."];
            }

            return byExtension?.Id;
        }

        var language = languages.FirstOrDefault(l => string.Equals(l.Id, asked.Trim(), StringComparison.OrdinalIgnoreCase));
        if (language is null)
        {
            errors["language"] = [$"'{asked}' is not a language this server runs; GET /api/v1/languages lists them ({Known(languages)})."];
        }

        return language?.Id;
    }

    private static string Known(IReadOnlyList<LanguageInfo> languages) => string.Join(", ", languages.Select(l => l.Id));

    internal static RunLimits Limits(ApiLimits? limits, string field, Dictionary<string, string[]> errors)
    {
        if (limits is null)
        {
            return new RunLimits();
        }

        TimeSpan? Seconds(double? value, string name)
        {
            if (value is null)
            {
                return null;
            }

            if (!(value > 0) || double.IsInfinity(value.Value) || value > 24 * 3600)
            {
                errors[$"{field}.{name}"] = [$"{name} must be a positive number of seconds; it is {value}."];
                return null;
            }

            return TimeSpan.FromSeconds(value.Value);
        }

        long? Bytes(int? value, string name, long unit)
        {
            if (value is null)
            {
                return null;
            }

            if (value <= 0)
            {
                errors[$"{field}.{name}"] = [$"{name} must be positive; it is {value}."];
                return null;
            }

            return value * unit;
        }

        return new RunLimits
        {
            WallTime = Seconds(limits.TimeSeconds, "timeSeconds"),
            CpuTime = Seconds(limits.CpuTimeSeconds, "cpuTimeSeconds"),
            MemoryBytes = Bytes(limits.MemoryMb, "memoryMb", 1024 * 1024),
            OutputBytes = Bytes(limits.OutputKb, "outputKb", 1024),
        };
    }

    private static List<TestCase>? ParseCases(List<ApiTestCase> cases, Dictionary<string, string[]> errors)
    {
        if (cases.Count == 0)
        {
            errors["testCases"] = ["Give at least one case, or leave testCases out for an ordinary run."];
            return null;
        }

        var result = new List<TestCase>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            if (c?.ExpectedOutput is null)
            {
                errors[$"testCases[{i}].expectedOutput"] = ["Each case needs its expected output."];
                continue;
            }

            if (!Enum.TryParse<ComparisonMode>(c.Comparison ?? nameof(ComparisonMode.TrimTrailing), ignoreCase: true, out var mode)
                || !Enum.IsDefined(mode))
            {
                errors[$"testCases[{i}].comparison"] = [$"'{c.Comparison}' is not a comparison: use trimTrailing, exact, tokens, numbers or regex."];
                continue;
            }

            result.Add(new TestCase
            {
                Name = c.Name ?? $"case {i + 1}",
                Stdin = c.Input ?? "",
                Arguments = c.Args ?? [],
                ExpectedOutput = c.ExpectedOutput,
                Comparison = new OutputComparison { Mode = mode },
                Limits = Limits(c.Limits, $"testCases[{i}].limits", errors),
            });
        }

        return result;
    }
}
