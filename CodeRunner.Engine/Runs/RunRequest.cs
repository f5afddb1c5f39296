using System.Text;

namespace CodeRunner.Engine.Runs;

/// <summary>Fast mode runs in a warm pooled container without network; network mode runs in the session's network.</summary>
public enum RunMode
{
    Fast,
    Network,
}

/// <summary>A file of the project, with a relative path such as <c>src/main.py</c>.</summary>
public sealed record SourceFile(string Path, ReadOnlyMemory<byte> Content)
{
    public static SourceFile Text(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));
}

/// <summary>What to run: the files, the entry file and, optionally, the language (else the entry file's extension decides).</summary>
public sealed record RunRequest
{
    public required IReadOnlyList<SourceFile> Files { get; init; }
    public required string EntryFile { get; init; }
    public string? Language { get; init; }
    public RunMode Mode { get; init; } = RunMode.Fast;

    /// <summary>
    /// Input given up front: the program reads it and then end-of-input, and nothing can be typed in. Null (the
    /// default) keeps stdin open for <see cref="IRunHandle.WriteStdinAsync"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? Stdin { get; init; }

    /// <summary>The same as <see cref="Stdin"/>, as UTF-8 text.</summary>
    public string? StdinText
    {
        get => Stdin is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null;
        init => Stdin = value is null ? default(ReadOnlyMemory<byte>?) : Encoding.UTF8.GetBytes(value);
    }

    /// <summary>Command-line arguments for the program, after those of the runtime's run step.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>This run's limits; each null takes the server's default, and none may exceed the server's ceiling.</summary>
    public Testing.RunLimits Limits { get; init; } = new();
}

/// <summary>Where a line of console output came from.</summary>
public enum ConsoleStream
{
    Stdout,
    Stderr,

    /// <summary>A message of the engine itself, such as "compiling…": each event is one whole message, without a newline.</summary>
    System,

    /// <summary>
    /// What the run is waiting for, such as "waiting for a free python container (2 ahead)": each event replaces the
    /// last, and an empty text means it waits no more. Not part of the output.
    /// </summary>
    Status,

    /// <summary>An image the program showed, such as a matplotlib figure: a PNG in <see cref="ConsoleEvent.Data"/>, and no text.</summary>
    Image,
}

/// <summary>A piece of console output, in the order it was produced.</summary>
public readonly record struct ConsoleEvent(ConsoleStream Stream, string Text)
{
    /// <summary>The bytes of an <see cref="ConsoleStream.Image"/>; empty for text.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>An image event holding a PNG.</summary>
    public static ConsoleEvent Image(ReadOnlyMemory<byte> png) => new(ConsoleStream.Image, "") { Data = png };
}
