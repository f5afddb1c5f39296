using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Agent;

/// <summary>Frame types of the agent protocol (runtimes/agent/PROTOCOL.md).</summary>
internal enum FrameType : byte
{
    Run = 0x01,
    Stdin = 0x02,
    StdinEof = 0x03,
    Kill = 0x04,
    TestRun = 0x05,
    Signal = 0x06,
    Ready = 0x81,
    Stdout = 0x82,
    Stderr = 0x83,
    Step = 0x84,
    Exit = 0x85,
    Case = 0x86,
    CaseExit = 0x87,
    Image = 0x88,
    File = 0x89,
}

/// <summary>Flags of an EXIT frame.</summary>
[Flags]
internal enum ExitFlags : uint
{
    None = 0,
    TimedOut = 1,
    OutOfMemory = 2,
    OutputLimit = 4,
    Killed = 8,
    SpawnFailed = 16,
    CpuLimit = 32,
}

/// <summary>What the agent reported when a run ended.</summary>
internal readonly record struct AgentExit(int ExitCode, int Signal, TimeSpan Wall, TimeSpan Cpu, long PeakRssBytes, ExitFlags Flags, int Step);

/// <summary>
/// The limits of a run, or of one case of a test run; a null CPU or memory limit leaves only the timeout and the container's memory.
/// A <see cref="Timeout"/> of <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> is none (a notebook kernel).
/// </summary>
internal readonly record struct AgentLimits(TimeSpan Timeout, long OutputLimit, TimeSpan? Cpu = null, long? Memory = null);

/// <summary>One case of a test run: its limits, the arguments after the run step's, and its whole stdin.</summary>
internal sealed record AgentCase(AgentLimits Limits, IReadOnlyList<string> Arguments, ReadOnlyMemory<byte> Stdin);

/// <summary>A READY frame: the container is clean and idle, or its reset failed for the reason given.</summary>
internal readonly record struct AgentReady(bool Ok, string? Problem);

/// <summary>A file to write into the workspace.</summary>
internal readonly record struct AgentFile(string Path, ReadOnlyMemory<byte> Content, bool Executable = false);

/// <summary>Encodes and decodes frames. Integers are little-endian; strings are a u32 length and UTF-8 bytes.</summary>
internal static class AgentProtocol
{
    /// <summary>The version this engine speaks; an agent that reports another is refused at its first READY.</summary>
    public const uint Version = 5;

    public const int HeaderSize = 8;
    public const int MaxFrameSize = 64 * 1024 * 1024;

    /// <summary>Where a RUN frame holds its run id; <see cref="RunFrame"/> leaves it 0 for the connection to fill.</summary>
    private const int RunIdOffset = HeaderSize;

    public static byte[] Frame(FrameType type, ReadOnlySpan<byte> payload = default)
    {
        var frame = new byte[HeaderSize + payload.Length];
        WriteHeader(frame, type, payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>
    /// A RUN frame with run id 0, which the agent refuses: <see cref="AgentConnection.StartRunAsync"/> gives it the id
    /// that the run's STDIN, STDIN_EOF and KILL frames then carry.
    /// </summary>
    public static byte[] RunFrame(AgentLimits limits, IReadOnlyList<IReadOnlyList<string>> steps,
        IEnumerable<string> environment, IReadOnlyList<AgentFile> files) =>
        Build(FrameType.Run, limits, steps, environment, null, files);

    /// <summary>
    /// A TEST frame, with run id 0 like <see cref="RunFrame"/>: the steps but the last compile once under
    /// <paramref name="compileLimits"/>; then each case runs the last step with its own arguments after it, from the
    /// <paramref name="keep"/> mounts as they were after compiling.
    /// </summary>
    public static byte[] TestRunFrame(AgentLimits compileLimits, IReadOnlyList<IReadOnlyList<string>> steps,
        IEnumerable<string> environment, IReadOnlyList<string> keep, IReadOnlyList<AgentCase> cases, IReadOnlyList<AgentFile> files) =>
        Build(FrameType.TestRun, compileLimits, steps, environment, (keep, cases), files);

    private static byte[] Build(FrameType type, AgentLimits limits, IReadOnlyList<IReadOnlyList<string>> steps, IEnumerable<string> environment,
        (IReadOnlyList<string> Keep, IReadOnlyList<AgentCase> Cases)? test, IReadOnlyList<AgentFile> files)
    {
        var caseBytes = test?.Cases.Sum(c => c.Stdin.Length + c.Arguments.Sum(a => a.Length * 3 + 4) + 32) ?? 0;
        var writer = new ArrayBufferWriter<byte>(4096 + caseBytes + files.Sum(f => f.Content.Length + f.Path.Length * 3 + 16));
        writer.Advance(HeaderSize);
        WriteUInt32(writer, 0);
        WriteLimits(writer, limits);
        WriteUInt16(writer, (ushort)steps.Count);
        foreach (var step in steps)
        {
            WriteUInt16(writer, (ushort)step.Count);
            foreach (var argument in step)
            {
                WriteString(writer, argument);
            }
        }

        WriteStrings(writer, environment.ToList());
        if (test is var (keep, cases))
        {
            WriteStrings(writer, keep);
            WriteUInt16(writer, (ushort)cases.Count);
            foreach (var c in cases)
            {
                WriteUInt32(writer, Milliseconds(c.Limits.Timeout));
                WriteUInt32(writer, c.Limits.Cpu is { } cpu ? Milliseconds(cpu) : 0);
                WriteUInt64(writer, (ulong)(c.Limits.Memory ?? 0));
                WriteUInt64(writer, (ulong)c.Limits.OutputLimit);
                WriteStrings(writer, c.Arguments);
                WriteUInt32(writer, (uint)c.Stdin.Length);
                writer.Write(c.Stdin.Span);
            }
        }

        WriteUInt32(writer, (uint)files.Count);
        foreach (var file in files)
        {
            WriteString(writer, file.Path);
            WriteUInt32(writer, file.Executable ? 0x1EDu : 0x1A4u);
            WriteUInt32(writer, (uint)file.Content.Length);
            writer.Write(file.Content.Span);
        }

        var frame = writer.WrittenMemory.ToArray();
        WriteHeader(frame, type, frame.Length - HeaderSize);
        return frame;
    }

    /// <summary>RUN and TEST share this: timeout, output limit, CPU limit (0: none), memory limit (0: the container's).</summary>
    private static void WriteLimits(IBufferWriter<byte> writer, AgentLimits limits)
    {
        WriteUInt32(writer, limits.Timeout == Timeout.InfiniteTimeSpan ? 0 : Milliseconds(limits.Timeout));
        WriteUInt64(writer, (ulong)limits.OutputLimit);
        WriteUInt32(writer, limits.Cpu is { } cpu ? Milliseconds(cpu) : 0);
        WriteUInt64(writer, (ulong)(limits.Memory ?? 0));
    }

    private static uint Milliseconds(TimeSpan time) => (uint)Math.Clamp(Math.Ceiling(time.TotalMilliseconds), 1, uint.MaxValue);

    private static void WriteStrings(IBufferWriter<byte> writer, IReadOnlyList<string> strings)
    {
        WriteUInt16(writer, (ushort)strings.Count);
        foreach (var s in strings)
        {
            WriteString(writer, s);
        }
    }

    public static void SetRunId(byte[] runFrame, uint runId)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runId);
        if (runFrame.Length < RunIdOffset + 4 || runFrame[4] is not ((byte)FrameType.Run or (byte)FrameType.TestRun))
        {
            throw new ArgumentException("Not a RUN or TEST frame.", nameof(runFrame));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(runFrame.AsSpan(RunIdOffset), runId);
    }

    /// <summary>The run id after <paramref name="last"/>, never 0, for ids handed out on one connection.</summary>
    public static uint NextRunId(ref uint last)
    {
        var next = Interlocked.Increment(ref last);
        return next != 0 ? next : Interlocked.Increment(ref last);
    }

    public static byte[] Stdin(uint runId, ReadOnlySpan<byte> bytes) => ForRun(FrameType.Stdin, runId, bytes);

    public static byte[] StdinEof(uint runId) => ForRun(FrameType.StdinEof, runId, []);

    public static byte[] Kill(uint runId) => ForRun(FrameType.Kill, runId, []);

    /// <summary>A SIGNAL frame: SIGINT (2) to the run's process group, the only signal the agent accepts.</summary>
    public static byte[] Interrupt(uint runId) => ForRun(FrameType.Signal, runId, [2, 0, 0, 0]);

    /// <summary>The run id of a STDIN, STDIN_EOF, KILL or SIGNAL frame.</summary>
    public static uint RunIdOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32LittleEndian(frame[HeaderSize..]);

    public static AgentExit ParseExit(ReadOnlySpan<byte> p) => new(
        BinaryPrimitives.ReadInt32LittleEndian(p),
        BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
        TimeSpan.FromMilliseconds(BinaryPrimitives.ReadUInt32LittleEndian(p[8..])),
        TimeSpan.FromMilliseconds(BinaryPrimitives.ReadUInt32LittleEndian(p[12..])),
        (long)BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
        (ExitFlags)BinaryPrimitives.ReadUInt32LittleEndian(p[24..]),
        BinaryPrimitives.ReadUInt16LittleEndian(p[28..]));

    /// <summary>A CASE_EXIT frame: the case's index, then the same figures as EXIT.</summary>
    public static (int Index, AgentExit Exit) ParseCaseExit(ReadOnlySpan<byte> p) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(p), ParseExit(p[2..]));

    /// <summary>
    /// A FILE frame: a file the run wrote (kind 1: path, then the bytes), or how many were left out past the caps
    /// (kind 2: count, bytes, caps). Exactly one of the two is set.
    /// </summary>
    public static (string? Path, byte[] Content, OutputFilesLeftOut? LeftOut) ParseFile(ReadOnlySpan<byte> p)
    {
        switch (p[0])
        {
            case 1:
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(p[1..]);
                var path = Encoding.UTF8.GetString(p.Slice(5, length));
                return (path, p[(5 + length)..].ToArray(), null);
            case 2:
                return (null, [], new OutputFilesLeftOut(
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(p[1..]),
                    (long)BinaryPrimitives.ReadUInt64LittleEndian(p[5..]),
                    (OutputFileCaps)BinaryPrimitives.ReadUInt32LittleEndian(p[13..])));
            default:
                throw new InvalidDataException($"The agent sent a FILE frame of unknown kind {p[0]}.");
        }
    }

    public static AgentReady ParseReady(ReadOnlySpan<byte> p)
    {
        var version = BinaryPrimitives.ReadUInt32LittleEndian(p);
        if (version != Version)
        {
            return new AgentReady(false,
                $"the agent speaks protocol version {version} and the engine {Version}: rebuild the runtime images with scripts/build-images");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(p[4..]) == 1
            ? new AgentReady(true, null)
            : new AgentReady(false, Encoding.UTF8.GetString(p[8..]));
    }

    /// <summary>A frame whose payload starts with the run id it is for: the agent ignores it during any other run.</summary>
    private static byte[] ForRun(FrameType type, uint runId, ReadOnlySpan<byte> bytes)
    {
        var frame = new byte[HeaderSize + 4 + bytes.Length];
        WriteHeader(frame, type, 4 + bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(HeaderSize), runId);
        bytes.CopyTo(frame.AsSpan(HeaderSize + 4));
        return frame;
    }

    private static void WriteHeader(Span<byte> frame, FrameType type, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payloadLength);
        frame[4] = (byte)type;
        frame[5] = frame[6] = frame[7] = 0;
    }

    private static void WriteUInt16(IBufferWriter<byte> w, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(w.GetSpan(2), value);
        w.Advance(2);
    }

    private static void WriteUInt32(IBufferWriter<byte> w, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    private static void WriteUInt64(IBufferWriter<byte> w, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void WriteString(IBufferWriter<byte> w, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32(w, (uint)length);
        Encoding.UTF8.GetBytes(value, w.GetSpan(length));
        w.Advance(length);
    }
}
