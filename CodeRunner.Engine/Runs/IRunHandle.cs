using System.Threading.Channels;

namespace CodeRunner.Engine.Runs;

/// <summary>A run in progress: its console events, its stdin, and its verdict.</summary>
public interface IRunHandle
{
    string Id { get; }

    /// <summary>The language id the run uses, such as <c>python</c>.</summary>
    string Language { get; }

    string EntryFile { get; }

    /// <summary>Console events in order; completes after the verdict.</summary>
    ChannelReader<ConsoleEvent> Events { get; }

    /// <summary>Completes with the verdict; never faults.</summary>
    Task<RunVerdict> Completion { get; }

    /// <summary>Sends text to the program's stdin (add "\n" for a line).</summary>
    ValueTask WriteStdinAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Closes the program's stdin once what was written has been read: end-of-input.</summary>
    ValueTask CloseStdinAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills the program; the verdict says it was stopped.</summary>
    ValueTask StopAsync(CancellationToken cancellationToken = default);
}
