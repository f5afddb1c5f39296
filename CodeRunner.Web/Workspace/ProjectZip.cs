using System.Buffers;
using System.Buffers.Binary;
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
            CheckEntryCount(DeclaredEntryCount(zipStream), limits);
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

    private static string ReadText(ZipArchiveEntry entry, string path, WorkspaceOptions limits, Span<byte> buffer, ref long unpacked)
    {
        // The buffer holds one byte more than a file may: filling it means the file is over the limit.
        using var stream = entry.Open();
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer[length..])) > 0)
        {
            length += read;
            unpacked += read;
            if (unpacked > limits.MaxTotalBytes)
            {
                throw new WorkspaceException(
                    $"The zip unpacks to more than {Project.Size(limits.MaxTotalBytes)}; the total size limit is {Project.Size(limits.MaxTotalBytes)} per project.");
            }
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

    /// <summary>
    /// The entry count in the zip's end record (found as <see cref="ZipArchive"/> finds it, searching back from the
    /// end), or 0 when there is none, which <see cref="ZipArchive"/> then reports. A count of 65,535 means the zip is
    /// a Zip64 one with at least that many, so it is taken as that many.
    /// </summary>
    private static long DeclaredEntryCount(Stream zip)
    {
        const int EndRecordLength = 22;
        const uint EndRecordSignature = 0x06054b50;
        var tail = new byte[(int)Math.Min(zip.Length, EndRecordLength + ushort.MaxValue)];
        zip.Seek(-tail.Length, SeekOrigin.End);
        zip.ReadExactly(tail);
        zip.Seek(0, SeekOrigin.Begin);
        for (var at = tail.Length - EndRecordLength; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) == EndRecordSignature)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            }
        }

        return 0;
    }
}
