using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;

namespace CodeRunner.Web.Components.Explorer;

/// <summary>Uploads, zip import and zip export of the explorer.</summary>
public sealed partial class FileExplorer
{
    [Microsoft.AspNetCore.Components.Inject] private ISnackbar Snackbar { get; set; } = default!;

    private async Task UploadFilesAsync(InputFileChangeEventArgs e)
    {
        var limits = Store.Project.Limits;
        if (e.FileCount > limits.MaxFiles)
        {
            _error = $"That is {e.FileCount} files; the file count limit is {limits.MaxFiles} files per project.";
            return;
        }

        // Folder uploads: the browser knows each file's path inside the folder; Blazor only passes the name.
        var relative = _js.Module is not { } module ? [] : await module.InvokeAsync<string[]>("relativePaths", _inputs, e.FileCount);
        var chosen = e.GetMultipleFiles(limits.MaxFiles)
            .Select((file, i) => (File: file, Name: i < relative.Length && !string.IsNullOrEmpty(relative[i]) ? relative[i] : file.Name))
            .Where(f => !ProjectZip.IsClutter(f.Name))
            .ToList();

        try
        {
            var files = await Uploads.ReadFilesAsync(chosen, limits, TargetFolder());
            await BeforeAsync();
            var added = Store.Import(files);
            _error = null;
            Snackbar.Add($"Uploaded {added.Count} file{(added.Count == 1 ? "" : "s")}.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task ImportZipAsync(InputFileChangeEventArgs e)
    {
        try
        {
            var (files, folders) = await Uploads.ReadZipAsync(e.File, Store.Project.Limits);
            await BeforeAsync();
            var added = Store.Import(files, folders);
            _error = null;
            Snackbar.Add($"Imported {added.Count} file{(added.Count == 1 ? "" : "s")} from {e.File.Name}.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task ExportZipAsync()
    {
        await BeforeAsync();
        if (_js.Module is not { } module)
        {
            return;
        }

        using var stream = new MemoryStream(ProjectZip.Export(Store.Project));
        using var reference = new DotNetStreamReference(stream);
        await module.InvokeVoidAsync("download", "coderunner-project.zip", reference);
    }
}
