using System.Text;

namespace CodeRunner.Engine.Runs;

/// <summary>A regular file that a run created or changed in its workspace, sent back after its program ended.</summary>
public sealed record OutputFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public OutputFile(string path, byte[] content)
    {
        Path = path;
        Content = content;
        IsText = IsUtf8Text(content);
    }

    /// <summary>Relative to the workspace, with <c>/</c> between folders, as in the project.</summary>
    public string Path { get; }

    public byte[] Content { get; }

    public long Size => Content.Length;

    /// <summary>Valid UTF-8 without a NUL byte: a file the project can hold.</summary>
    public bool IsText { get; }

    /// <summary>The content as text, or null when it is not UTF-8 text.</summary>
    public string? Text => IsText ? StrictUtf8.GetString(Content) : null;

    private static bool IsUtf8Text(byte[] content)
    {
        if (content.AsSpan().IndexOf((byte)0) >= 0)
        {
            return false;
        }

        try
        {
            StrictUtf8.GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>Which cap kept files of a run from coming back.</summary>
[Flags]
public enum OutputFileCaps
{
    None = 0,
    Count = 1,
    Total = 2,
    PerFile = 4,

    /// <summary>Not an agent cap: the engine leaves out a path that a project could not hold (<see cref="ProjectPathRules"/>).</summary>
    Path = 8,
}

/// <summary>The files a run wrote that did not come back because they were past a cap: how many, their bytes, and which caps.</summary>
public sealed record OutputFilesLeftOut(int Count, long Bytes, OutputFileCaps Caps)
{
    /// <summary>The caps the agent applies (runtimes/agent/src/agent.h, <c>OUTFILES_MAX_*</c>).</summary>
    public const int MaxCount = 20;

    public const long MaxFileBytes = 4L * 1024 * 1024;
    public const long MaxTotalBytes = 8L * 1024 * 1024;

    /// <summary>A sentence for the console, such as "3 more files (1.2 MB) were not sent back: at most 20 files come back".</summary>
    public string Message
    {
        get
        {
            var why = new List<string>();
            if (Caps.HasFlag(OutputFileCaps.Count))
            {
                why.Add($"at most {MaxCount} files come back");
            }

            if (Caps.HasFlag(OutputFileCaps.PerFile))
            {
                why.Add($"a file over {LimitCeiling.Bytes(MaxFileBytes)} does not");
            }

            if (Caps.HasFlag(OutputFileCaps.Total))
            {
                why.Add($"at most {LimitCeiling.Bytes(MaxTotalBytes)} in all");
            }

            if (Caps.HasFlag(OutputFileCaps.Path))
            {
                why.Add("a path a project cannot hold (too long, too deep, or with a character such as : or ?) does not");
            }

            var files = Count == 1 ? "1 more file" : $"{Count} more files";
            var was = Count == 1 ? "was" : "were";
            return $"{files} ({LimitCeiling.Bytes(Bytes)}) {was} not sent back: {string.Join("; ", why)}";
        }
    }
}
