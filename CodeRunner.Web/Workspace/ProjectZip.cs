using System.IO.Compression;
using System.Text;

namespace CodeRunner.Web.Workspace;

/// <summary>Exports a project as a zip and reads one back, refusing binary files and anything over the limits.</summary>
public static class ProjectZip
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Export(Project project)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var folder in project.Folders.Where(f => !project.Files.Keys.Any(p => ProjectPath.IsInside(p, f))))
            {
                zip.CreateEntry(folder + "/");
            }

            foreach (var (path, content) in project.Files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The zip's text files and empty folders; throws a <see cref="WorkspaceException"/> for what cannot be imported.</summary>
    public static (List<(string Path, string Content)> Files, List<string> Folders) Read(Stream zipStream, WorkspaceOptions limits)
    {
        var files = new List<(string, string)>();
        var folders = new List<string>();
        try
        {
            using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
            if (zip.Entries.Count > limits.MaxFiles * 2)
            {
                throw new WorkspaceException($"The zip holds {zip.Entries.Count} entries; the file count limit is {limits.MaxFiles} files per project.");
            }

            foreach (var entry in zip.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (IsClutter(name))
                {
                    continue;
                }

                if (name.EndsWith('/'))
                {
                    folders.Add(ProjectPath.Normalize(name));
                    continue;
                }

                var path = ProjectPath.Normalize(name);
                files.Add((path, ReadText(entry, path, limits)));
            }
        }
        catch (InvalidDataException ex)
        {
            throw new WorkspaceException($"That file is not a readable zip: {ex.Message}");
        }

        return (files, folders);
    }

    /// <summary>
    /// What an operating system or Git adds to a folder or a zip, which is never a student's code and often binary:
    /// macOS's <c>__MACOSX/</c>, <c>._*</c> and <c>.DS_Store</c>, Windows's <c>Thumbs.db</c> and <c>desktop.ini</c>,
    /// and a <c>.git</c> folder. Uploads and zip imports skip it.
    /// </summary>
    public static bool IsClutter(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Any(part =>
            part is "__MACOSX" or ".DS_Store" or ".git" || part.StartsWith("._", StringComparison.Ordinal)
            || part.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || part.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase));

    /// <summary>Decodes an uploaded or zipped file as UTF-8 text; binary files are refused by name.</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new WorkspaceException($"'{path}' looks like a binary file; only text files can be edited and run.");
        }

        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new WorkspaceException($"'{path}' is not UTF-8 text; save it as UTF-8 and try again.");
        }
    }

    private static string ReadText(ZipArchiveEntry entry, string path, WorkspaceOptions limits)
    {
        // Read at most one byte past the limit: the sizes a zip declares can lie.
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > limits.MaxFileBytes)
            {
                throw new WorkspaceException(
                    $"'{ProjectPath.Name(path)}' in the zip is over the file size limit of {Project.Size(limits.MaxFileBytes)} per file.");
            }
        }

        return DecodeText(copy.GetBuffer().AsSpan(0, (int)copy.Length), path);
    }
}
