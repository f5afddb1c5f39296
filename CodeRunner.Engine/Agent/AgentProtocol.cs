using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CodeRunner.Engine.Agent;

/// <summary>Frame types of the agent protocol (runtimes/agent/PROTOCOL.md).</summary>
internal enum FrameType : byte
{
    Run = 0x01,
    Stdin = 0x02,
    StdinEof = 0x03,
    Kill = 0x04,
    Ready = 0x81,
    Stdout = 0x82,
    Stderr = 0x83,
    Step = 0x84,
    Exit = 0x85,
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
}

/// <summary>What the agent reported when a run ended.</summary>
internal readonly record struct AgentExit(int ExitCode, int Signal, TimeSpan Wall, TimeSpan Cpu, long PeakRssBytes, ExitFlags Flags, int Step);

/// <summary>A READY frame: the container is clean and idle, or its reset failed for the reason given.</summary>
internal readonly record struct AgentReady(bool Ok, string? Problem);

/// <summary>A file to write into the workspace.</summary>
internal readonly record struct AgentFile(string Path, ReadOnlyMemory<byte> Content, bool Executable = false);

/// <summary>Encodes and decodes frames. Integers are little-endian; strings are a u32 length and UTF-8 bytes.</summary>
internal static class AgentProtocol
{
    public const int HeaderSize = 8;
    public const int MaxFrameSize = 64 * 1024 * 1024;

    public static byte[] Frame(FrameType type, ReadOnlySpan<byte> payload = default)
    {
        var frame = new byte[HeaderSize + payload.Length];
        WriteHeader(frame, type, payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    public static byte[] RunFrame(TimeSpan timeout, long outputLimit, IReadOnlyList<IReadOnlyList<string>> steps,
        IEnumerable<string> environment, IReadOnlyList<AgentFile> files)
    {
        var writer = new ArrayBufferWriter<byte>(4096 + files.Sum(f => f.Content.Length + f.Path.Length * 3 + 16));
        writer.Advance(HeaderSize);
        WriteUInt32(writer, (uint)timeout.TotalMilliseconds);
        WriteUInt64(writer, (ulong)outputLimit);
        WriteUInt16(writer, (ushort)steps.Count);
        foreach (var step in steps)
        {
            WriteUInt16(writer, (ushort)step.Count);
            foreach (var argument in step)
            {
                WriteString(writer, argument);
            }
        }

        var env = environment.ToList();
        WriteUInt16(writer, (ushort)env.Count);
        env.ForEach(e => WriteString(writer, e));
        WriteUInt32(writer, (uint)files.Count);
        foreach (var file in files)
        {
            WriteString(writer, file.Path);
            WriteUInt32(writer, file.Executable ? 0x1EDu : 0x1A4u);
            WriteUInt32(writer, (uint)file.Content.Length);
            writer.Write(file.Content.Span);
        }

        var frame = writer.WrittenMemory.ToArray();
        WriteHeader(frame, FrameType.Run, frame.Length - HeaderSize);
        return frame;
    }

    public static AgentExit ParseExit(ReadOnlySpan<byte> p) => new(
        BinaryPrimitives.ReadInt32LittleEndian(p),
        BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
        TimeSpan.FromMilliseconds(BinaryPrimitives.ReadUInt32LittleEndian(p[8..])),
        TimeSpan.FromMilliseconds(BinaryPrimitives.ReadUInt32LittleEndian(p[12..])),
        (long)BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
        (ExitFlags)BinaryPrimitives.ReadUInt32LittleEndian(p[24..]),
        BinaryPrimitives.ReadUInt16LittleEndian(p[28..]));

    public static AgentReady ParseReady(ReadOnlySpan<byte> p) =>
        BinaryPrimitives.ReadUInt32LittleEndian(p[4..]) == 1
            ? new AgentReady(true, null)
            : new AgentReady(false, Encoding.UTF8.GetString(p[8..]));

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
