using System.Text;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// What one file of the project holds: UTF-8 text (edited in the editor) or bytes (an image, a data file, a PDF).
/// Exactly one of <see cref="Text"/> and <see cref="Bytes"/> is set.
/// </summary>
public readonly record struct FileContent
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private FileContent(string? text, byte[]? bytes)
    {
        Text = text;
        Bytes = bytes;
    }

    public string? Text { get; }

    public byte[]? Bytes { get; }

    public bool IsText => Bytes is null;

    /// <summary>Its size as the limits count it: the UTF-8 bytes of a text, the length of bytes.</summary>
    public long Length => Bytes?.LongLength ?? Encoding.UTF8.GetByteCount(Text ?? "");

    public static FileContent FromText(string text) => new(text, null);

    public static FileContent FromBytes(byte[] bytes) => new(null, bytes);

    /// <summary>
    /// Text when the bytes are valid UTF-8 without a NUL (a leading byte-order mark is dropped, as an editor would),
    /// else the bytes as they are: decided by content, whatever the file's name says.
    /// </summary>
    public static FileContent Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) < 0)
        {
            try
            {
                var text = StrictUtf8.GetString(bytes);
                return FromText(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: kept as bytes.
            }
        }

        return FromBytes(bytes.ToArray());
    }

    /// <summary>The bytes a run, a download or a zip gets: the text's UTF-8, or the bytes themselves.</summary>
    public byte[] ToBytes() => Bytes ?? Encoding.UTF8.GetBytes(Text ?? "");

    public bool Equals(FileContent other) =>
        Text == other.Text && (Bytes is null ? other.Bytes is null : other.Bytes is not null && Bytes.AsSpan().SequenceEqual(other.Bytes));

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? Bytes?.Length ?? 0;
}
