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

        // The browser's sizes bound what its streams yield, so what is too large is refused before anything is read.
        if (chosen.FirstOrDefault(f => f.File.Size > limits.MaxFileBytes).File is { } big)
        {
            _error = $"'{big.Name}' is {Project.Size(big.Size)}; the file size limit is {Project.Size(limits.MaxFileBytes)} per file.";
            return;
        }

        if (chosen.Sum(f => f.File.Size) is var total && total > limits.MaxTotalBytes)
        {
            _error = $"Those files are {Project.Size(total)}; the total size limit is {Project.Size(limits.MaxTotalBytes)} per project.";
            return;
        }

        var files = new List<(string, string)>();
        try
        {
            foreach (var (file, name) in chosen)
            {
                await using var stream = file.OpenReadStream(limits.MaxFileBytes);
                using var copy = new MemoryStream((int)file.Size);
                await stream.CopyToAsync(copy);
                var path = ProjectPath.Combine(TargetFolder(), ProjectPath.Normalize(name));
                files.Add((path, ProjectZip.DecodeText(copy.GetBuffer().AsSpan(0, (int)copy.Length), path)));
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
            // One copy of the zip, the size the browser gave (its stream yields no more); ZipArchive needs to seek.
            using var copy = new MemoryStream((int)e.File.Size);
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
