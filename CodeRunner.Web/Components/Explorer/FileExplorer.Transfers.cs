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
        var files = new List<(string, string)>();
        try
        {
            var index = 0;
            foreach (var file in e.GetMultipleFiles(limits.MaxFiles))
            {
                var name = index < relative.Length && !string.IsNullOrEmpty(relative[index]) ? relative[index] : file.Name;
                index++;
                if (ProjectZip.IsClutter(name))
                {
                    continue;
                }

                if (file.Size > limits.MaxFileBytes)
                {
                    throw new WorkspaceException($"'{file.Name}' is {Project.Size(file.Size)}; the file size limit is {Project.Size(limits.MaxFileBytes)} per file.");
                }

                await using var stream = file.OpenReadStream(limits.MaxFileBytes);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                var path = ProjectPath.Combine(TargetFolder(), ProjectPath.Normalize(name));
                files.Add((path, ProjectZip.DecodeText(copy.ToArray(), path)));
            }

            await BeforeAsync();
            var added = Store.Import(files);
            _error = null;
            Snackbar.Add($"Uploaded {added.Count} file{(added.Count == 1 ? "" : "s")}.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            _error = ex.Message;
        }
        catch (IOException ex)
        {
            _error = $"The upload failed: {ex.Message}";
        }
    }

    private async Task ImportZipAsync(InputFileChangeEventArgs e)
    {
        var limits = Store.Project.Limits;
        if (e.File.Size > limits.MaxZipBytes)
        {
            _error = $"'{e.File.Name}' is {Project.Size(e.File.Size)}; the zip size limit is {Project.Size(limits.MaxZipBytes)}.";
            return;
        }

        try
        {
            using var copy = new MemoryStream();
            await using (var stream = e.File.OpenReadStream(limits.MaxZipBytes))
            {
                await stream.CopyToAsync(copy);
            }

            copy.Position = 0;
            var (files, folders) = ProjectZip.Read(copy, limits);
            await BeforeAsync();
            var added = Store.Import(files, folders);
            _error = null;
            Snackbar.Add($"Imported {added.Count} file{(added.Count == 1 ? "" : "s")} from {e.File.Name}.", Severity.Success);
        }
        catch (WorkspaceException ex)
        {
            _error = ex.Message;
        }
        catch (IOException ex)
        {
            _error = $"The import failed: {ex.Message}";
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
