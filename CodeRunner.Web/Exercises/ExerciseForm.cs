using CodeRunner.Classroom.Exercises;

namespace CodeRunner.Web.Exercises;

/// <summary>An exercise as its authoring form edits it: every field of <see cref="ExerciseDraft"/>, mutable.</summary>
public sealed class ExerciseForm
{
    public string Title { get; set; } = "";
    public string Statement { get; set; } = "";

    /// <summary>Empty: the entry file's extension decides.</summary>
    public string Language { get; set; } = "";

    public string EntryFile { get; set; } = "main.py";

    /// <summary>Local time as an <c>input type=datetime-local</c> gives it; null for no deadline.</summary>
    public DateTime? Deadline { get; set; }

    public List<FileForm> StarterFiles { get; } = [];
    public List<FileForm> SolutionFiles { get; } = [];
    public List<CaseForm> Cases { get; } = [];

    public static ExerciseForm New() => new()
    {
        StarterFiles = { new FileForm { Path = "main.py", Content = "# Read the input and print the answer\n" } },
        SolutionFiles = { new FileForm { Path = "main.py" } },
        Cases = { new CaseForm { Name = "example" } },
    };

    public static ExerciseForm From(ExerciseDraft draft, TimeZoneInfo zone)
    {
        var form = new ExerciseForm
        {
            Title = draft.Title,
            Statement = draft.Statement,
            Language = draft.Language ?? "",
            EntryFile = draft.EntryFile,
            Deadline = draft.Deadline is { } deadline ? TimeZoneInfo.ConvertTime(deadline, zone).DateTime : null,
        };
        form.StarterFiles.AddRange(draft.StarterFiles.Select(f => new FileForm { Path = f.Path, Content = f.Content }));
        form.SolutionFiles.AddRange(draft.SolutionFiles.Select(f => new FileForm { Path = f.Path, Content = f.Content }));
        form.Cases.AddRange(draft.Cases.Select(c => new CaseForm
        {
            Name = c.Name,
            Stdin = c.Stdin,
            ExpectedOutput = c.ExpectedOutput,
            Comparison = c.Comparison,
            AbsoluteTolerance = c.AbsoluteTolerance,
            RelativeTolerance = c.RelativeTolerance,
            TimeLimitMs = c.TimeLimitMs,
            MemoryLimitMb = c.MemoryLimitMb,
            Points = c.Points,
            Visible = c.Visible,
        }));
        return form;
    }

    public ExerciseDraft ToDraft(TimeZoneInfo zone) => new(
        Title.Trim(),
        Statement,
        string.IsNullOrWhiteSpace(Language) ? null : Language.Trim(),
        EntryFile.Trim(),
        Deadline is { } local ? new DateTimeOffset(local, zone.GetUtcOffset(local)) : null,
        Files(StarterFiles),
        Files(SolutionFiles),
        Cases.Select(c => new CaseDraft(c.Name.Trim(), c.Stdin, c.ExpectedOutput, c.Comparison, c.AbsoluteTolerance, c.RelativeTolerance,
            c.TimeLimitMs, c.MemoryLimitMb, c.Points, c.Visible)).ToList());

    private static List<(string Path, string Content)> Files(List<FileForm> files) =>
        files.Where(f => !string.IsNullOrWhiteSpace(f.Path)).Select(f => (f.Path.Trim(), f.Content)).ToList();
}

public sealed class FileForm
{
    public string Path { get; set; } = "";
    public string Content { get; set; } = "";
}

public sealed class CaseForm
{
    public string Name { get; set; } = "";
    public string Stdin { get; set; } = "";
    public string ExpectedOutput { get; set; } = "";
    public CaseComparison Comparison { get; set; } = CaseComparison.TrimTrailing;
    public double AbsoluteTolerance { get; set; } = 1e-6;
    public double RelativeTolerance { get; set; } = 1e-6;
    public int? TimeLimitMs { get; set; }
    public int? MemoryLimitMb { get; set; }
    public int Points { get; set; } = 1;
    public bool Visible { get; set; } = true;
}
