using System.IO.Compression;

namespace CodeRunner.Tests.Web;

/// <summary>Small zips that unpack to far more than a project may hold, for the import's limits.</summary>
public static class ZipBomb
{
    /// <summary>
    /// 400 text files of 1 MB of spaces each: 400 MB unpacked in a zip of about 400 KB. Each file is within the file
    /// size limit and the count within what an import reads, so only counting the bytes of all of them stops it.
    /// </summary>
    public static byte[] OfSpaces(int files = 400, int fileBytes = 1024 * 1024)
    {
        var spaces = new byte[fileBytes];
        Array.Fill(spaces, (byte)' ');
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < files; i++)
            {
                using var entry = zip.CreateEntry($"bomb/{i:000}.txt", CompressionLevel.SmallestSize).Open();
                entry.Write(spaces);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A zip of many empty files: every entry costs the reader an object, whatever its size.</summary>
    public static byte[] OfEntries(int entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries; i++)
            {
                zip.CreateEntry($"{i}", CompressionLevel.NoCompression);
            }
        }

        return buffer.ToArray();
    }
}
