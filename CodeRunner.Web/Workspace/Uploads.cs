using Microsoft.AspNetCore.Components.Forms;

namespace CodeRunner.Web.Workspace;

/// <summary>Reads files and zips a browser uploads within the workspace's limits; what is over a limit is refused before it is read.</summary>
public static class Uploads
{
    /// <summary>
    /// The files, each text or binary by its content, under <paramref name="folder"/> and its name (a path inside an
    /// uploaded folder, say).
    /// </summary>
    /// <exception cref="WorkspaceException">The files are over a limit, or could not be read.</exception>
    public static async Task<List<(string Path, FileContent Content)>> ReadFilesAsync(IReadOnlyList<(IBrowserFile File, string Name)> chosen,
        WorkspaceOptions limits, string? folder = null)
    {
        // The browser's sizes bound what its streams yield, so what is too large is refused before anything is read.
        if (chosen.FirstOrDefault(f => f.File.Size > limits.MaxFileBytes).File is { } big)
        {
            throw new WorkspaceException($"'{big.Name}' is {Project.Size(big.Size)}; the file size limit is {Project.Size(limits.MaxFileBytes)} per file.");
        }

        if (chosen.Sum(f => f.File.Size) is var total && total > limits.MaxTotalBytes)
        {
            throw new WorkspaceException($"Those files are {Project.Size(total)}; the total size limit is {Project.Size(limits.MaxTotalBytes)} per project.");
        }

        var files = new List<(string, FileContent)>();
        try
        {
            foreach (var (file, name) in chosen)
            {
                await using var stream = file.OpenReadStream(limits.MaxFileBytes);
                using var copy = new MemoryStream((int)file.Size);
                await stream.CopyToAsync(copy);
                var path = ProjectPath.Combine(folder, ProjectPath.Normalize(name));
                files.Add((path, FileContent.Detect(copy.GetBuffer().AsSpan(0, (int)copy.Length))));
            }
        }
        catch (IOException ex)
        {
            throw new WorkspaceException($"The upload failed: {ex.Message}");
        }

        return files;
    }

    /// <summary>The files (text or binary) and empty folders of an uploaded zip.</summary>
    /// <exception cref="WorkspaceException">The zip is too large, unreadable, or holds what cannot be imported.</exception>
    public static async Task<(List<(string Path, FileContent Content)> Files, List<string> Folders)> ReadZipAsync(IBrowserFile zip, WorkspaceOptions limits)
    {
        using var copy = await CopyZipAsync(zip, limits);
        return ProjectZip.Read(copy, limits);
    }

    /// <summary>
    /// An uploaded zip as a seekable stream at its start (ZipArchive needs to seek): one copy, the size the browser gave
    /// (its stream yields no more), refused above <see cref="WorkspaceOptions.MaxZipBytes"/>.
    /// </summary>
    /// <exception cref="WorkspaceException">The zip is too large, or could not be read.</exception>
    public static async Task<MemoryStream> CopyZipAsync(IBrowserFile zip, WorkspaceOptions limits)
    {
        if (zip.Size > limits.MaxZipBytes)
        {
            throw new WorkspaceException($"'{zip.Name}' is {Project.Size(zip.Size)}; the zip size limit is {Project.Size(limits.MaxZipBytes)}.");
        }

        var copy = new MemoryStream((int)zip.Size);
        try
        {
            await using (var stream = zip.OpenReadStream(limits.MaxZipBytes))
            {
                await stream.CopyToAsync(copy);
            }

            copy.Position = 0;
            return copy;
        }
        catch (IOException ex)
        {
            await copy.DisposeAsync();
            throw new WorkspaceException($"The import failed: {ex.Message}");
        }
    }

    /// <summary>What a teacher hands out: the text files of one zip, or the text files chosen (hand-outs hold text only).</summary>
    /// <exception cref="WorkspaceException">A file is binary, or the files are over a limit.</exception>
    public static async Task<List<(string Path, string Content)>> ReadFilesOrZipAsync(IReadOnlyList<IBrowserFile> chosen, WorkspaceOptions limits)
    {
        if (chosen.Count > limits.MaxFiles)
        {
            throw new WorkspaceException($"That is {chosen.Count} files; the file count limit is {limits.MaxFiles} files per project.");
        }

        var files = chosen.Count == 1 && chosen[0].Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            ? (await ReadZipAsync(chosen[0], limits)).Files
            : await ReadFilesAsync(chosen.Where(f => !ProjectZip.IsClutter(f.Name)).Select(f => (f, f.Name)).ToList(), limits);
        return files.Select(f => (f.Path, f.Content.Text ?? throw new WorkspaceException(
            $"'{f.Path}' looks like a binary file; only text files can be handed out."))).ToList();
    }
}
