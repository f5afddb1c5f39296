using CodeRunner.Web.Components.Console;
using CodeRunner.Web.Exercises;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace CodeRunner.Web.Components.Editor;

/// <summary>
/// Covers the editor with a preview when the open file has one (<see cref="FileKinds.PreviewOf"/>); renders nothing
/// otherwise. A text file with a preview (CSV, Markdown, SVG) can be switched to its source in the editor and back.
/// </summary>
public sealed partial class FilePreview : IAsyncDisposable
{
    /// <summary>How many rows of a CSV file the table shows.</summary>
    public const int MaxRows = 1000;

    private readonly HashSet<string> _sourceShown = new(StringComparer.Ordinal);
    private readonly JsAttachment _js = new();

    // What the preview was made from (the path, and its text or bytes by reference), so that it is made once per change.
    private (string? Path, object? Content) _preparedFrom;
    private string? _dataUrl;
    private MarkupString _html;
    private List<List<string>> _rows = [];
    private bool _rowsLeftOut;

    [Inject] private WorkspaceStore Store { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The file open in the editor, if any.</summary>
    [Parameter] public string? Path { get; set; }

    /// <summary>Called before going back from the source to the preview: the editor hands over its latest text.</summary>
    [Parameter] public Func<Task>? BeforePreview { get; set; }

    private (string Kind, FileContent Content)? Current =>
        Path is { } path && Store.Project.ContentOf(path) is { } content && FileKinds.PreviewOf(path, content) is { } kind
            ? (kind, content)
            : null;

    protected override void OnInitialized()
    {
        Store.Changed += OnStoreChanged;
        Store.FilesReplaced += OnFilesReplaced;
    }

    private void OnStoreChanged() => _ = InvokeAsync(StateHasChanged);

    private void OnFilesReplaced(IReadOnlyCollection<string> paths) => _ = InvokeAsync(StateHasChanged);

    private void Prepare(string kind, FileContent content)
    {
        var from = (Path, (object?)content.Bytes ?? content.Text);
        if (from.Path == _preparedFrom.Path && ReferenceEquals(from.Item2, _preparedFrom.Content))
        {
            return;
        }

        _preparedFrom = from;
        switch (kind)
        {
            case FileKinds.Image:
                _dataUrl = $"data:{FileKinds.ContentType(Path!, content.IsText)};base64,{Convert.ToBase64String(content.ToBytes())}";
                break;
            case FileKinds.Csv:
                _rows = CsvPreview.Rows(content.Text!, MaxRows + 1);
                _rowsLeftOut = _rows.Count > MaxRows;
                if (_rowsLeftOut)
                {
                    _rows.RemoveAt(MaxRows);
                }

                break;
            case FileKinds.Markdown:
                _html = new MarkupString(StatementMarkdown.ToHtml(content.Text!));
                break;
        }
    }

    private void ShowSource() => _sourceShown.Add(Path!);

    private async Task ShowPreviewAsync()
    {
        if (BeforePreview is not null)
        {
            await BeforePreview();
        }

        _sourceShown.Remove(Path!);
    }

    private async Task DownloadAsync(FileContent content)
    {
        if (_js.Instance is null)
        {
            await _js.AttachAsync(JS, "./Components/Editor/FilePreview.razor.js", "attach");
        }

        if (_js.Instance is { } instance)
        {
            using var stream = new MemoryStream(content.ToBytes(), writable: false);
            using var reference = new DotNetStreamReference(stream);
            await instance.InvokeVoidAsync("download", ProjectPath.Name(Path!), FileKinds.ContentType(Path!, content.IsText), reference);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.Changed -= OnStoreChanged;
        Store.FilesReplaced -= OnFilesReplaced;
        await _js.DisposeAsync();
    }
}
