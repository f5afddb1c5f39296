using System.Text;

namespace CodeRunner.Classroom.Projects;

/// <summary>Sizes of files as the limits count them (UTF-8 bytes, or a binary file's bytes) and as a sentence says them, like the IDE's workspace.</summary>
internal static class Sizes
{
    public static long Of(string content) => Encoding.UTF8.GetByteCount(content);

    public static long Of(string content, byte[]? data) => data?.LongLength ?? Of(content);

    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024.0):0.#} MB",
    };
}
