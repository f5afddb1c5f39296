using System.Buffers;
using System.IO.Compression;
using CodeRunner.Classroom.Projects;

namespace CodeRunner.Web.Workspace;

/// <summary>Exports a project as a zip, byte for byte, and reads one back, refusing anything over the limits.</summary>
public static class ProjectZip
{
    public static byte[] Export(Project project)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var paths = project.Paths.ToList();
            foreach (var folder in project.Folders.Where(f => !paths.Any(p => ProjectPath.IsInside(p, f))))
            {
                zip.CreateEntry(folder + "/");
            }

            foreach (var path in paths)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(project.ContentOf(path)!.Value.ToBytes());
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The zip's files (text or binary, by content) and empty folders; throws a <see cref="WorkspaceException"/> for what cannot be imported.
    /// The stream must be seekable (<see cref="ZipArchive"/> copies any other into memory, however large).
    /// </summary>
    /// <remarks>
    /// A zip can unpack to a thousand times its size, and the sizes and the entry count it declares can lie. So the
    /// unpacked bytes of all the entries are counted as they are read, and reading stops one byte past a file or the
    /// project limit; each entry is read into one buffer of the file limit and decoded from there. The entry count
    /// is checked before <see cref="ZipArchive"/> makes an object for each entry, and it stops at that count.
    /// Memory then stays at about the zip's own size plus the project limit, whatever the zip holds.
    /// </remarks>
    public static (List<(string Path, FileContent Content)> Files, List<string> Folders) Read(Stream zipStream, WorkspaceOptions limits)
    {
        if (!zipStream.CanSeek)
        {
            throw new ArgumentException("A zip is read from a seekable stream.", nameof(zipStream));
        }

        var files = new List<(string, FileContent)>();
        var folders = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent((int)limits.MaxFileBytes + 1);
        try
        {
            CheckEntryCount(BoundedZip.DeclaredEntryCount(zipStream), limits);
            using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read, leaveOpen: true);
            CheckEntryCount(zip.Entries.Count, limits);
            long unpacked = 0;
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
                files.Add((path, ReadFile(entry, path, limits, buffer.AsSpan(0, (int)limits.MaxFileBytes + 1), ref unpacked)));
            }
        }
        catch (InvalidDataException ex)
        {
            throw new WorkspaceException($"That file is not a readable zip: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (files, folders);
    }

    /// <inheritdoc cref="BoundedZip.IsClutter"/>
    public static bool IsClutter(string path) => BoundedZip.IsClutter(path);

    private static FileContent ReadFile(ZipArchiveEntry entry, string path, WorkspaceOptions limits, Span<byte> buffer, ref long unpacked)
    {
        // The buffer holds one byte more than a file may: filling it means the file is over the limit.
        var length = BoundedZip.ReadEntry(entry, buffer, ref unpacked, limits.MaxTotalBytes);
        if (unpacked > limits.MaxTotalBytes)
        {
            throw new WorkspaceException(
                $"The zip unpacks to more than {Project.Size(limits.MaxTotalBytes)}; the total size limit is {Project.Size(limits.MaxTotalBytes)} per project.");
        }

        if (length > limits.MaxFileBytes)
        {
            throw new WorkspaceException(
                $"'{ProjectPath.Name(path)}' in the zip is over the file size limit of {Project.Size(limits.MaxFileBytes)} per file.");
        }

        return FileContent.Detect(buffer[..length]);
    }

    private static void CheckEntryCount(long entries, WorkspaceOptions limits)
    {
        // Folders and clutter are entries too, so a zip may hold more entries than a project holds files.
        if (entries > limits.MaxFiles * 2L)
        {
            throw new WorkspaceException($"The zip holds {entries} entries; the file count limit is {limits.MaxFiles} files per project.");
        }
    }
}
