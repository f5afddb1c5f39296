using System.Buffers;
using System.IO.Compression;
using System.Text;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Projects;

namespace CodeRunner.Web.Workspace;

/// <summary>Exports a project as a zip and reads one back, refusing binary files and anything over the limits.</summary>
public static class ProjectZip
{
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

    /// <summary>
    /// The zip's text files and empty folders; throws a <see cref="WorkspaceException"/> for what cannot be imported.
    /// The stream must be seekable (<see cref="ZipArchive"/> copies any other into memory, however large).
    /// </summary>
    /// <remarks>
    /// A zip can unpack to a thousand times its size, and the sizes and the entry count it declares can lie. So the
    /// unpacked bytes of all the entries are counted as they are read, and reading stops one byte past a file or the
    /// project limit; each entry is read into one buffer of the file limit and decoded from there. The entry count
    /// is checked before <see cref="ZipArchive"/> makes an object for each entry, and it stops at that count.
    /// Memory then stays at about the zip's own size plus the project limit, whatever the zip holds.
    /// </remarks>
    public static (List<(string Path, string Content)> Files, List<string> Folders) Read(Stream zipStream, WorkspaceOptions limits)
    {
        if (!zipStream.CanSeek)
        {
            throw new ArgumentException("A zip is read from a seekable stream.", nameof(zipStream));
        }

        var files = new List<(string, string)>();
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
                files.Add((path, ReadText(entry, path, limits, buffer.AsSpan(0, (int)limits.MaxFileBytes + 1), ref unpacked)));
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

    /// <summary>Decodes an uploaded or zipped file as UTF-8 text; binary files are refused by name.</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            return BoundedZip.DecodeText(bytes, path);
        }
        catch (ClassroomException ex)
        {
            throw new WorkspaceException(ex.Message);
        }
    }

    private static string ReadText(ZipArchiveEntry entry, string path, WorkspaceOptions limits, Span<byte> buffer, ref long unpacked)
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

        return DecodeText(buffer[..length], path);
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
