using CodeRunner.Engine.Runs;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CodeRunner.Web.Components.Console;

/// <summary>
/// The files a run created or changed, listed under its verdict with a preview, a download (streamed from the circuit
/// on request) and Keep, which imports the file (text or binary) into the project, beside a file of the same path rather than over it.
/// </summary>
public sealed partial class OutputFilesView : IAsyncDisposable
{
    /// <summary>How many lines (or CSV rows) a preview shows.</summary>
    public const int PreviewLines = 10;

    // An image's preview is encoded once: a verdict re-renders with every console batch of the next run.
    private readonly Dictionary<OutputFile, string> _dataUrls = [];
    private readonly JsAttachment _js = new();
    private readonly Dictionary<OutputFile, string> _kept = [];

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public RunVerdict Verdict { get; set; } = default!;

    /// <summary>Watching someone else's console (a teacher): no Keep.</summary>
    [Parameter] public bool ReadOnly { get; set; }

    private static string KindOf(OutputFile file)
    {
        if (FileKinds.IsImage(file.Path))
        {
            return "image";
        }

        if (!file.IsText)
        {
            return "binary";
        }

        return Path.GetExtension(file.Path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "text";
    }

    private static string ContentType(OutputFile file) => FileKinds.ContentType(file.Path, file.IsText);

    private string DataUrl(OutputFile file)
    {
        if (!_dataUrls.TryGetValue(file, out var url))
        {
            url = $"data:{ContentType(file)};base64,{Convert.ToBase64String(file.Content)}";
            _dataUrls[file] = url;
        }

        return url;
    }

    private async Task DownloadAsync(OutputFile file)
    {
        // The module is imported on the first download: most runs write no file.
        if (_js.Instance is null)
        {
            await _js.AttachAsync(JS, "./Components/Console/OutputFilesView.razor.js", "attach");
        }

        if (_js.Instance is { } instance)
        {
            using var stream = new MemoryStream(file.Content, writable: false);
            using var reference = new DotNetStreamReference(stream);
            await instance.InvokeVoidAsync("download", ProjectPath.Name(file.Path), ContentType(file), reference);
        }
    }

    public ValueTask DisposeAsync() => _js.DisposeAsync();

    private static string FirstLines(string text)
    {
        var lines = text.Split('\n');
        return lines.Length <= PreviewLines ? text : string.Join('\n', lines.Take(PreviewLines)) + $"\n… {lines.Length - PreviewLines} more lines";
    }

    private static string KeepTitle(OutputFile file, string? kept) => kept is not null
        ? $"{file.Path} is kept in the project as {kept}"
        : $"Keep {file.Path} in the project (beside a file of the same name, never over it)";

    private void Keep(OutputFile file)
    {
        try
        {
            var path = FreePath(Store.Project, file.Path);
            Store.Import([(path, FileContent.Detect(file.Content))]);
            _kept[file] = path;
            Snackbar.Add($"Kept {path} in the project.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    /// <summary>
    /// The path itself when the project has nothing there; otherwise "name (from run).ext" beside it, then
    /// "name (from run 2).ext" and so on: a kept file never replaces the student's own.
    /// </summary>
    public static string FreePath(Project project, string path)
    {
        var folder = ProjectPath.Parent(path);
        var name = ProjectPath.Name(path);
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? path : ProjectPath.Combine(folder, $"{stem} (from run{(i == 2 ? "" : $" {i - 1}")}){extension}");
            if (!project.IsFile(candidate) && !project.IsFolder(candidate) && !ProjectPath.Ancestors(candidate).Any(project.IsFile))
            {
                return candidate;
            }
        }
    }
}
