using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CodeRunner.Classroom.Projects;

/// <summary>
/// Reading a zip of text files without trusting what it says of itself, for the IDE's project import and for exercise
/// zips: the entry count is checked before <see cref="ZipArchive"/> makes an object per entry, and unpacked bytes are
/// counted as they are read, so that a zip bomb stops one byte past a limit.
/// </summary>
public static class BoundedZip
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// What an operating system or Git adds to a folder or a zip, which is never a student's code and often binary:
    /// macOS's <c>__MACOSX/</c>, <c>._*</c> and <c>.DS_Store</c>, Windows's <c>Thumbs.db</c> and <c>desktop.ini</c>,
    /// and a <c>.git</c> folder. Uploads and zip imports skip it.
    /// </summary>
    public static bool IsClutter(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Any(part =>
            part is "__MACOSX" or ".DS_Store" or ".git" || part.StartsWith("._", StringComparison.Ordinal)
            || part.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || part.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase));

    /// <summary>Decodes a file as UTF-8 text (without a byte-order mark); binary files are refused by name.</summary>
    /// <exception cref="ClassroomException">The file is binary or not UTF-8.</exception>
    public static string DecodeText(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new ClassroomException($"'{path}' looks like a binary file; only text files can be edited and run.");
        }

        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new ClassroomException($"'{path}' is not UTF-8 text; save it as UTF-8 and try again.");
        }
    }

    /// <summary>
    /// Reads the entry into <paramref name="buffer"/> until it is full or the entry ends, adding what it read to
    /// <paramref name="unpacked"/>, and stops as soon as that passes <paramref name="maxUnpacked"/>. Returns the length
    /// read: a full buffer means the entry is at least that long, and the caller checks both limits.
    /// </summary>
    public static int ReadEntry(ZipArchiveEntry entry, Span<byte> buffer, ref long unpacked, long maxUnpacked)
    {
        using var stream = entry.Open();
        var length = 0;
        int read;
        while (length < buffer.Length && unpacked <= maxUnpacked && (read = stream.Read(buffer[length..])) > 0)
        {
            length += read;
            unpacked += read;
        }

        return length;
    }

    /// <summary>
    /// The entry count in the zip's end record (found as <see cref="ZipArchive"/> finds it, searching back from the
    /// end), or 0 when there is none, which <see cref="ZipArchive"/> then reports. A count of 65,535 means the zip is
    /// a Zip64 one with at least that many, so it is taken as that many. The stream must be seekable.
    /// </summary>
    public static long DeclaredEntryCount(Stream zip)
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
