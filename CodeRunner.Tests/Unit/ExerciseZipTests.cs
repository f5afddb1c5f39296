using System.IO.Compression;
using System.Text;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Projects;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Tests.Unit;

/// <summary>An exercise as a zip: written and read back unchanged, and each kind of bad zip refused with a message that says what to fix.</summary>
public sealed class ExerciseZipTests
{
    private static readonly ExerciseLimits Limits = new(new ProjectLimits(), ["c", "cpp", "java", "javascript", "python"],
        path => ProjectPathRules.Problem(path));

    private static readonly ExerciseDraft Exercise = new(
        "Grüße, 世界 — λ", "# Übung\n\nPrint `héllo` 🌍.\n", "python", "src/main.py", new DateTimeOffset(2026, 3, 9, 16, 30, 0, TimeSpan.Zero),
        [("src/main.py", "# écris ici\n"), ("src/data/words.txt", "ä ö ü\n")],
        [("src/main.py", "print('héllo 🌍')\n"), ("src/helper.py", "")],
        [
            new CaseDraft("hello", "", "héllo 🌍\n"),
            new CaseDraft("empty-output", "quiet\n", "", CaseComparison.Exact, Points: 0),
            new CaseDraft("hidden_numbers", "1.5 2\n", "3.5\n", CaseComparison.Numbers, 1e-3, 1e-4, 500, 64, 10, Visible: false),
            new CaseDraft("pattern", "x\n", "^h.*$", CaseComparison.Regex, TimeLimitMs: 60_000, MemoryLimitMb: 1024, Points: 1000),
        ]);

    [Fact]
    public void RoundTrip_WriteThenRead_GivesTheSameExercise()
    {
        var read = ExerciseFolder.Read(Zip(Exercise), Limits);

        AssertSame(Exercise, read);
    }

    [Fact]
    public void Read_FilesInOneTopFolder_AreReadFromInsideIt()
    {
        var entries = Entries(Zip(Exercise)).Select(e => ("sum-exercise/" + e.Name, e.Content));

        var read = ExerciseFolder.Read(Zip(entries), Limits);

        AssertSame(Exercise, read);
    }

    [Fact]
    public void Read_CaseListedWithoutAnInputFile_HasEmptyInput()
    {
        var entries = Entries(Zip(Exercise)).Where(e => e.Name != "tests/pattern.in");

        var read = ExerciseFolder.Read(Zip(entries), Limits);

        Assert.Equal("", read.Cases.Single(c => c.Name == "pattern").Stdin);
    }

    [Fact]
    public void Read_NoExerciseJson_SaysWhereItBelongs()
    {
        var entries = Entries(Zip(Exercise)).Where(e => e.Name != "exercise.json");

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.StartsWith("the zip has no exercise.json at its top (or in one top folder)", refused.Message);
    }

    [Fact]
    public void Read_InputWithoutExpectedOutput_NamesBothFiles()
    {
        var entries = Entries(Zip(Exercise)).Where(e => e.Name != "tests/hello.out");

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.Equal("case 'hello' has input tests/hello.in but no expected output tests/hello.out", refused.Message);
    }

    [Fact]
    public void Read_TestFileOfNoCase_IsRefusedRatherThanLost()
    {
        var entries = Entries(Zip(Exercise)).Append(("tests/extra.out", "1\n"));

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.StartsWith("tests/extra.out belongs to no case of exercise.json", refused.Message);
    }

    [Fact]
    public void Read_UnknownLanguage_SaysWhichTheServerRuns()
    {
        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(Exercise with { Language = "cobol" }), Limits));

        Assert.Equal("unknown language 'cobol'; this server runs: c, cpp, java, javascript, python", refused.Message);
    }

    [Fact]
    public void Read_OversizeCase_SaysHowBigAndTheMost()
    {
        var entries = Entries(Zip(Exercise)).Select(e => e.Name == "tests/hello.out" ? (e.Name, new string('x', 3_355_443)) : e);

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.Equal("case 'hello' has 3.2 MB of expected output; the most is 1 MB", refused.Message);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("starter/../../x.py")]
    [InlineData("/etc/passwd")]
    public void Read_PathOutsideTheExercise_IsRefused(string path)
    {
        var entries = Entries(Zip(Exercise)).Append((path, "boom"));

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.StartsWith("The zip holds a file that cannot be imported:", refused.Message);
    }

    [Fact]
    public void Read_ZipBombOfManySmallFiles_StopsAtTheTotalLimit()
    {
        // Each file is within the file limit, and compresses to almost nothing; together they unpack to 40 MB.
        var bomb = Entries(Zip(Exercise)).Concat(Enumerable.Range(0, 40).Select(i => ($"starter/pad{i}.txt", new string('a', 1024 * 1024 - 1))));

        var zip = Zip(bomb);

        Assert.True(zip.Length < 2 * 1024 * 1024);
        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(zip, Limits));
        Assert.StartsWith("The zip unpacks to more than", refused.Message);
    }

    [Fact]
    public void Read_OneHugeFile_StopsOneBytePastItsLimit()
    {
        var entries = Entries(Zip(Exercise)).Append(("starter/big.txt", new string('a', 8 * 1024 * 1024)));

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.Equal("'starter/big.txt' in the zip is 8 MB; the most for that file is 1 MB.", refused.Message);
    }

    [Fact]
    public void Read_TooManyEntries_IsRefusedBeforeTheyAreListed()
    {
        var entries = Enumerable.Range(0, 2000).Select(i => ($"starter/f{i}.txt", ""));

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.StartsWith("The zip holds 2000 entries", refused.Message);
    }

    [Fact]
    public void Read_NotAZip_SaysSo()
    {
        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(new MemoryStream(Encoding.UTF8.GetBytes("not a zip")), Limits));

        Assert.StartsWith("That file is not a readable zip", refused.Message);
    }

    [Fact]
    public void Read_ExerciseJsonThatIsNotJson_SaysSo()
    {
        var entries = Entries(Zip(Exercise)).Select(e => e.Name == "exercise.json" ? (e.Name, "{ title: ") : e);

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.StartsWith("exercise.json is not valid:", refused.Message);
    }

    [Fact]
    public void Read_BinaryStarterFile_IsRefusedByName()
    {
        var entries = Entries(Zip(Exercise)).Append(("starter/logo.png", "\u0089PNG\0\0"));

        var refused = Assert.Throws<ExerciseFormatException>(() => ExerciseFolder.Read(Zip(entries), Limits));

        Assert.Equal("'starter/logo.png' looks like a binary file; only text files can be edited and run.", refused.Message);
    }

    [Fact]
    public void ExerciseFormatException_IsAClassroomException() =>
        Assert.IsAssignableFrom<ClassroomException>(new ExerciseFormatException("x"));

    private static void AssertSame(ExerciseDraft expected, ExerciseDraft actual)
    {
        Assert.Equal((expected.Title, expected.Statement, expected.Language, expected.EntryFile, expected.Deadline),
            (actual.Title, actual.Statement, actual.Language, actual.EntryFile, actual.Deadline));
        Assert.Equal(expected.StarterFiles, actual.StarterFiles);
        Assert.Equal(expected.SolutionFiles, actual.SolutionFiles);
        Assert.Equal(expected.Cases, actual.Cases);
    }

    private static MemoryStream Zip(ExerciseDraft draft)
    {
        var stream = new MemoryStream();
        ExerciseFolder.Write(draft, stream);
        stream.Position = 0;
        return stream;
    }

    private static MemoryStream Zip(IEnumerable<(string Name, string Content)> entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static List<(string Name, string Content)> Entries(Stream zipStream)
    {
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        return [.. zip.Entries.Select(e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return (e.FullName, reader.ReadToEnd());
        })];
    }
}
