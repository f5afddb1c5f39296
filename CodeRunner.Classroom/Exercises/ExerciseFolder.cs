using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using CodeRunner.Classroom.Projects;

namespace CodeRunner.Classroom.Exercises;

/// <summary>
/// An exercise as a zip for version control: <c>exercise.json</c> (everything but the texts), <c>statement.md</c>,
/// <c>starter/…</c>, <c>solution/…</c>, and each case's <c>tests/NAME.in</c> and <c>tests/NAME.out</c>.
/// </summary>
public static class ExerciseFolder
{
    public const string JsonName = "exercise.json";
    public const string StatementName = "statement.md";
    private const string Starter = "starter/";
    private const string Solution = "solution/";
    private const string Tests = "tests/";
    private const int MaxJsonBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The source-generated contract with non-ASCII letters written as they are, so that a diff of exercise.json reads well.</summary>
    private static readonly JsonTypeInfo<ExerciseJson> JsonInfo = (JsonTypeInfo<ExerciseJson>)new JsonSerializerOptions(ExerciseJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        TypeInfoResolver = ExerciseJsonContext.Default,
    }.GetTypeInfo(typeof(ExerciseJson));

    /// <summary>
    /// Reads and checks an exercise zip from a seekable stream. A zip whose files sit in one top folder is read from
    /// inside it. Bounded whatever the zip declares: the entry count is checked before the entries are listed, and
    /// unpacked bytes are counted as they are read, stopping one byte past a file's or the whole exercise's limit.
    /// </summary>
    /// <exception cref="ExerciseFormatException">The zip is not an exercise, or breaks a rule; the message says which file or case.</exception>
    public static ExerciseDraft Read(Stream zip, ExerciseLimits limits)
    {
        if (!zip.CanSeek)
        {
            throw new ArgumentException("An exercise zip is read from a seekable stream.", nameof(zip));
        }

        try
        {
            var entries = ReadEntries(zip, limits);
            return ExerciseRules.Check(ToDraft(entries, limits), limits);
        }
        catch (ExerciseFormatException)
        {
            throw;
        }
        catch (ClassroomException ex)
        {
            throw new ExerciseFormatException(ex.Message);
        }
        catch (InvalidDataException ex)
        {
            throw new ExerciseFormatException($"That file is not a readable zip: {ex.Message}");
        }
    }

    /// <summary>Writes the exercise as a zip: every case gets its <c>.in</c> and its <c>.out</c>, even when empty.</summary>
    public static void Write(ExerciseDraft draft, Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
        var json = new ExerciseJson
        {
            Title = draft.Title,
            Language = draft.Language,
            EntryFile = draft.EntryFile,
            Deadline = draft.Deadline,
            Cases = [.. draft.Cases.Select(c => new CaseJson
            {
                Name = c.Name,
                Comparison = c.Comparison,
                AbsoluteTolerance = c.AbsoluteTolerance,
                RelativeTolerance = c.RelativeTolerance,
                TimeLimitMs = c.TimeLimitMs,
                MemoryLimitMb = c.MemoryLimitMb,
                Points = c.Points,
                Visible = c.Visible,
            })],
        };
        using (var stream = archive.CreateEntry(JsonName, CompressionLevel.Fastest).Open())
        {
            JsonSerializer.Serialize(stream, json, JsonInfo);
        }

        Add(archive, StatementName, draft.Statement);
        foreach (var (path, content) in draft.StarterFiles)
        {
            Add(archive, Starter + path, content);
        }

        foreach (var (path, content) in draft.SolutionFiles)
        {
            Add(archive, Solution + path, content);
        }

        foreach (var @case in draft.Cases)
        {
            Add(archive, $"{Tests}{@case.Name}.in", @case.Stdin);
            Add(archive, $"{Tests}{@case.Name}.out", @case.ExpectedOutput);
        }
    }

    private static void Add(ZipArchive archive, string name, string content)
    {
        using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Utf8.GetBytes(content));
    }

    /// <summary>The zip's text files by their path inside the exercise, in the zip's order; folders and clutter are left out.</summary>
    private static List<(string Path, string Content)> ReadEntries(Stream zip, ExerciseLimits limits)
    {
        // Every file an exercise can hold, twice over for folder entries and clutter.
        var maxEntries = (2L * limits.Project.MaxFiles + 2L * ExerciseRules.MaxCases + 2) * 2;
        var maxUnpacked = 2 * limits.Project.MaxTotalBytes + ExerciseRules.MaxStatementBytes + ExerciseRules.MaxCasesTotalBytes + MaxJsonBytes;
        var maxEntry = (int)Math.Max(Math.Max(limits.Project.MaxFileBytes, ExerciseRules.MaxCaseBytes), Math.Max(ExerciseRules.MaxStatementBytes, MaxJsonBytes));
        CheckEntryCount(BoundedZip.DeclaredEntryCount(zip), maxEntries);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        CheckEntryCount(archive.Entries.Count, maxEntries);

        var buffer = ArrayPool<byte>.Shared.Rent(maxEntry + 1);
        try
        {
            var files = new List<(string Path, string Content)>();
            long unpacked = 0;
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (name.EndsWith('/') || BoundedZip.IsClutter(name))
                {
                    continue;
                }

                if (limits.PathProblem(name) is { } problem)
                {
                    throw new ExerciseFormatException($"The zip holds a file that cannot be imported: {problem}");
                }

                var length = BoundedZip.ReadEntry(entry, buffer.AsSpan(0, maxEntry + 1), ref unpacked, maxUnpacked);
                if (unpacked > maxUnpacked)
                {
                    throw new ExerciseFormatException(
                        $"The zip unpacks to more than {Sizes.Format(maxUnpacked)}; an exercise holds at most that. Is it the right zip?");
                }

                files.Add((name, DecodeChecked(buffer.AsSpan(0, length), name, entry, limits)));
            }

            return Unwrap(files);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes the entry after checking its size against the limit of its kind (in the zip's own naming, before unwrapping).</summary>
    private static string DecodeChecked(ReadOnlySpan<byte> bytes, string name, ZipArchiveEntry entry, ExerciseLimits limits)
    {
        var inner = name.Contains('/') && !name.StartsWith(Starter, StringComparison.Ordinal) && !name.StartsWith(Solution, StringComparison.Ordinal)
            && !name.StartsWith(Tests, StringComparison.Ordinal) ? name[(name.IndexOf('/') + 1)..] : name;
        long limit = inner.StartsWith(Tests, StringComparison.Ordinal) ? ExerciseRules.MaxCaseBytes
            : inner is JsonName ? MaxJsonBytes
            : inner is StatementName ? ExerciseRules.MaxStatementBytes
            : limits.Project.MaxFileBytes;
        if (bytes.Length > limit)
        {
            // The declared size may lie, so it only words the message; the refusal rests on the bytes read.
            var size = entry.Length > limit ? Sizes.Format(entry.Length) : $"more than {Sizes.Format(limit)}";
            throw new ExerciseFormatException(inner.StartsWith(Tests, StringComparison.Ordinal) && CaseFile(inner) is var (caseName, isInput)
                ? $"case '{caseName}' has {size} of {(isInput ? "input" : "expected output")}; the most is {Sizes.Format(limit)}"
                : $"'{name}' in the zip is {size}; the most for that file is {Sizes.Format(limit)}.");
        }

        return BoundedZip.DecodeText(bytes, name);
    }

    /// <summary>The files as paths inside the exercise: exercise.json at the top, or in one top folder that wraps everything.</summary>
    private static List<(string Path, string Content)> Unwrap(List<(string Path, string Content)> files)
    {
        if (files.Any(f => f.Path == JsonName))
        {
            return files;
        }

        var tops = files.Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (tops.Count == 1 && files.All(f => f.Path.Contains('/')) && files.Any(f => f.Path == $"{tops[0]}/{JsonName}"))
        {
            var cut = tops[0].Length + 1;
            return [.. files.Select(f => (f.Path[cut..], f.Content))];
        }

        throw new ExerciseFormatException($"the zip has no {JsonName} at its top (or in one top folder); is it an exercise exported from CodeRunner?");
    }

    private static ExerciseDraft ToDraft(List<(string Path, string Content)> files, ExerciseLimits limits)
    {
        ExerciseJson? json;
        try
        {
            json = JsonSerializer.Deserialize(files.First(f => f.Path == JsonName).Content, JsonInfo);
        }
        catch (JsonException ex)
        {
            throw new ExerciseFormatException($"{JsonName} is not valid: {ex.Message}");
        }

        if (json is null)
        {
            throw new ExerciseFormatException($"{JsonName} is empty (null); it needs at least a title and an entry file.");
        }

        var starter = new List<(string, string)>();
        var solution = new List<(string, string)>();
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var statement = "";
        foreach (var (path, content) in files)
        {
            if (path is JsonName)
            {
                continue;
            }

            if (path is StatementName)
            {
                statement = content;
            }
            else if (path.StartsWith(Starter, StringComparison.Ordinal))
            {
                starter.Add((path[Starter.Length..], content));
            }
            else if (path.StartsWith(Solution, StringComparison.Ordinal))
            {
                solution.Add((path[Solution.Length..], content));
            }
            else if (CaseFile(path) is var (name, isInput))
            {
                (isInput ? inputs : outputs)[name] = content;
            }
            else
            {
                throw new ExerciseFormatException(
                    $"'{path}' in the zip is not part of an exercise; put files in starter/, solution/ or tests/ (as NAME.in and NAME.out).");
            }
        }

        var cases = new List<CaseDraft>();
        foreach (var c in json.Cases ?? [])
        {
            var name = c.Name ?? "";
            if (!outputs.Remove(name, out var expected))
            {
                throw new ExerciseFormatException(inputs.ContainsKey(name)
                    ? $"case '{name}' has input tests/{name}.in but no expected output tests/{name}.out"
                    : $"case '{name}' has no expected output tests/{name}.out; add the file (it may be empty).");
            }

            inputs.Remove(name, out var stdin);
            cases.Add(new CaseDraft(name, stdin ?? "", expected, c.Comparison, c.AbsoluteTolerance, c.RelativeTolerance,
                c.TimeLimitMs, c.MemoryLimitMb, c.Points, c.Visible));
        }

        if (inputs.Keys.Concat(outputs.Keys).Order(StringComparer.Ordinal).FirstOrDefault() is { } stray)
        {
            throw new ExerciseFormatException(
                $"tests/{stray}.{(inputs.ContainsKey(stray) ? "in" : "out")} belongs to no case of {JsonName}; add a case named '{stray}' there or remove the file.");
        }

        return new ExerciseDraft(json.Title ?? "", statement, json.Language, json.EntryFile ?? "", json.Deadline, starter, solution, cases);
    }

    /// <summary>The case a <c>tests/NAME.in</c> or <c>tests/NAME.out</c> belongs to, and which of the two it is; null for any other path.</summary>
    private static (string Name, bool IsInput)? CaseFile(string path)
    {
        if (!path.StartsWith(Tests, StringComparison.Ordinal) || path.IndexOf('/', Tests.Length) >= 0)
        {
            return null;
        }

        var file = path[Tests.Length..];
        return file.EndsWith(".in", StringComparison.Ordinal) && file.Length > 3 ? (file[..^3], true)
            : file.EndsWith(".out", StringComparison.Ordinal) && file.Length > 4 ? (file[..^4], false)
            : null;
    }

    private static void CheckEntryCount(long entries, long max)
    {
        if (entries > max)
        {
            throw new ExerciseFormatException($"The zip holds {entries} entries; an exercise holds at most {max}. Is it the right zip?");
        }
    }
}

/// <summary>exercise.json: everything of an exercise but the texts, which are files beside it.</summary>
internal sealed class ExerciseJson
{
    public string? Title { get; set; }
    public string? Language { get; set; }
    public string? EntryFile { get; set; }
    public DateTimeOffset? Deadline { get; set; }
    public List<CaseJson>? Cases { get; set; }
}

/// <summary>A case in exercise.json; what is left out takes the same default as in <see cref="CaseDraft"/>.</summary>
internal sealed class CaseJson
{
    public string? Name { get; set; }
    public CaseComparison Comparison { get; set; } = CaseComparison.TrimTrailing;
    public double AbsoluteTolerance { get; set; } = 1e-6;
    public double RelativeTolerance { get; set; } = 1e-6;
    public int? TimeLimitMs { get; set; }
    public int? MemoryLimitMb { get; set; }
    public int Points { get; set; } = 1;
    public bool Visible { get; set; } = true;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExerciseJson))]
internal sealed partial class ExerciseJsonContext : JsonSerializerContext;
