using System.Buffers.Binary;
using System.Text;
using CodeRunner.Engine;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Unit;

public sealed class ProtocolTests
{
    private static Run NewRun()
    {
        var catalog = new RuntimeCatalog(Options.Create(new EngineOptions()));
        return new Run(RunPlanner.Plan(new RunRequest { EntryFile = "a.py", Files = [SourceFile.Text("a.py", "")] }, catalog, new RequestLimits()));
    }

    [Fact]
    public void FrameBuffer_ReassemblesFramesSplitAtEveryByte()
    {
        var frames = new[] { AgentProtocol.Frame(FrameType.Stdout, "hello"u8), AgentProtocol.Frame(FrameType.Step, [1, 0]) };
        var bytes = frames.SelectMany(f => f).ToArray();
        var buffer = new FrameBuffer();
        var seen = new List<(FrameType, string)>();
        foreach (var b in bytes)
        {
            buffer.GetWriteMemory(1).Span[0] = b;
            buffer.Advance(1);
            while (buffer.TryRead(out var type, out var payload))
            {
                seen.Add((type, Convert.ToHexString(payload)));
            }
        }

        Assert.Equal([(FrameType.Stdout, Convert.ToHexString("hello"u8)), (FrameType.Step, "0100")], seen);
    }

    [Fact]
    public void FrameBuffer_RefusesAFrameAboveTheLimit()
    {
        var buffer = new FrameBuffer();
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, AgentProtocol.MaxFrameSize + 1u);
        header.CopyTo(buffer.GetWriteMemory(8));
        buffer.Advance(8);
        Assert.Throws<InvalidDataException>(() => buffer.TryRead(out _, out _));
    }

    [Fact]
    public void RunFrame_EncodesTheLayoutTheAgentParses()
    {
        var frame = AgentProtocol.RunFrame(new AgentLimits(TimeSpan.FromSeconds(30), 1024, TimeSpan.FromMilliseconds(1500), 64L << 20),
            [["python3", "é.py"]], ["A=1"], [new AgentFile("é.py", "print(1)"u8.ToArray())]);
        AgentProtocol.SetRunId(frame, 7);
        var p = frame.AsSpan(8);
        Assert.Equal(frame.Length - 8, (int)BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal((byte)FrameType.Run, frame[4]);
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(p));
        Assert.Equal(30_000u, BinaryPrimitives.ReadUInt32LittleEndian(p[4..]));
        Assert.Equal(1024ul, BinaryPrimitives.ReadUInt64LittleEndian(p[8..]));
        Assert.Equal(1500u, BinaryPrimitives.ReadUInt32LittleEndian(p[16..]));
        Assert.Equal(64ul << 20, BinaryPrimitives.ReadUInt64LittleEndian(p[20..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(p[28..]));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(p[30..]));
        Assert.Equal("python3", Encoding.UTF8.GetString(p.Slice(36, (int)BinaryPrimitives.ReadUInt32LittleEndian(p[32..]))));
    }

    [Fact]
    public void RunFrame_WithoutCpuOrMemoryLimits_SendsZeroForBoth()
    {
        var p = AgentProtocol.RunFrame(new AgentLimits(TimeSpan.FromSeconds(1), 1), [["true"]], [], []).AsSpan(8);
        Assert.Equal((0u, 0ul), (BinaryPrimitives.ReadUInt32LittleEndian(p[16..]), BinaryPrimitives.ReadUInt64LittleEndian(p[20..])));
    }

    [Fact]
    public void TestRunFrame_PutsTheKeptMountsAndEachCaseBetweenTheEnvironmentAndTheFiles()
    {
        var cases = new[]
        {
            new AgentCase(new AgentLimits(TimeSpan.FromSeconds(2), 4096, TimeSpan.FromSeconds(1), 1L << 20), ["-v", "x"], "in\n"u8.ToArray()),
            new AgentCase(new AgentLimits(TimeSpan.FromSeconds(3), 8192), [], ReadOnlyMemory<byte>.Empty),
        };
        var frame = AgentProtocol.TestRunFrame(new AgentLimits(TimeSpan.FromSeconds(10), 100), [["gcc", "a.c"], ["./a"]], ["A=1"],
            ["/workspace", "/build"], cases, [new AgentFile("a.c", "x"u8.ToArray())]);
        AgentProtocol.SetRunId(frame, 9);
        Assert.Equal((byte)FrameType.TestRun, frame[4]);
        var r = new Reader(frame.AsSpan(8).ToArray());
        Assert.Equal((9u, 10_000u, 100ul, 0u, 0ul), (r.U32(), r.U32(), r.U64(), r.U32(), r.U64()));
        Assert.Equal([["gcc", "a.c"], ["./a"]], Enumerable.Range(0, r.U16()).Select(_ => r.Strings()).ToList());
        Assert.Equal(["A=1"], r.Strings());
        Assert.Equal(["/workspace", "/build"], r.Strings());
        Assert.Equal(2, r.U16());
        Assert.Equal((2000u, 1000u, 1ul << 20, 4096ul), (r.U32(), r.U32(), r.U64(), r.U64()));
        Assert.Equal(["-v", "x"], r.Strings());
        Assert.Equal("in\n", r.Bytes());
        Assert.Equal((3000u, 0u, 0ul, 8192ul), (r.U32(), r.U32(), r.U64(), r.U64()));
        Assert.Empty(r.Strings());
        Assert.Equal("", r.Bytes());
        Assert.Equal(1u, r.U32());
        Assert.Equal("a.c", r.Bytes());
    }

    [Fact]
    public void CaseExit_IsTheCasesIndexThenTheFiguresOfAnExit()
    {
        var payload = new byte[32];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, 4);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(2), -1);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(6), 11);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(10), 250);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(14), 200);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(18), 5 << 20);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(26), (uint)ExitFlags.CpuLimit);
        var (index, exit) = AgentProtocol.ParseCaseExit(payload);
        Assert.Equal((4, -1, 11, 250.0, 200.0, 5L << 20, ExitFlags.CpuLimit),
            (index, exit.ExitCode, exit.Signal, exit.Wall.TotalMilliseconds, exit.Cpu.TotalMilliseconds, exit.PeakRssBytes, exit.Flags));
    }

    /// <summary>Reads a frame's payload the way the agent's parser does.</summary>
    private sealed class Reader(byte[] bytes)
    {
        private int _at;

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public string Bytes() => Encoding.UTF8.GetString(Take((int)U32()));

        public List<string> Strings() => Enumerable.Range(0, U16()).Select(_ => Bytes()).ToList();

        private ReadOnlySpan<byte> Take(int count)
        {
            _at += count;
            return bytes.AsSpan(_at - count, count);
        }
    }

    [Fact]
    public void RunFrame_LeavesTheRunIdToTheConnection_AndRefusesZero()
    {
        var frame = AgentProtocol.RunFrame(new AgentLimits(TimeSpan.FromSeconds(1), 1), [["true"]], [], []);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AgentProtocol.SetRunId(frame, 0));
    }

    [Fact]
    public void FramesForARun_StartWithItsId()
    {
        var stdin = AgentProtocol.Stdin(42, "hi"u8);
        Assert.Equal((FrameType.Stdin, 6u, 42u), ((FrameType)stdin[4], BinaryPrimitives.ReadUInt32LittleEndian(stdin), AgentProtocol.RunIdOf(stdin)));
        Assert.Equal("hi", Encoding.UTF8.GetString(stdin.AsSpan(12)));
        foreach (var frame in new[] { AgentProtocol.StdinEof(42), AgentProtocol.Kill(42) })
        {
            Assert.Equal((4u, 42u), (BinaryPrimitives.ReadUInt32LittleEndian(frame), AgentProtocol.RunIdOf(frame)));
        }
    }

    [Fact]
    public void NextRunId_NeverHandsOutZero()
    {
        var last = uint.MaxValue - 1;
        Assert.Equal([uint.MaxValue, 1u, 2u], [AgentProtocol.NextRunId(ref last), AgentProtocol.NextRunId(ref last), AgentProtocol.NextRunId(ref last)]);
    }

    [Fact]
    public void Ready_FromAnAgentOfAnotherVersion_IsRefusedWithWhatToDo()
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 1);
        var ready = AgentProtocol.ParseReady(payload);
        Assert.False(ready.Ok);
        Assert.Contains("scripts/build-images", ready.Problem);
    }

    [Fact]
    public void Ready_FromAVersion4Agent_WithoutSignalFrames_IsRefused()
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 1);
        Assert.False(AgentProtocol.ParseReady(payload).Ok);
    }

    [Fact]
    public void Interrupt_IsASignalFrameForTheRun_CarryingSigint()
    {
        var frame = AgentProtocol.Interrupt(42);
        Assert.Equal((FrameType.Signal, 8u, 42u, 2u),
            ((FrameType)frame[4], BinaryPrimitives.ReadUInt32LittleEndian(frame), AgentProtocol.RunIdOf(frame), BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(12))));
    }

    [Fact]
    public void RunFrame_WithAnInfiniteTimeout_SendsZero_WhichTheAgentTakesAsNone()
    {
        var p = AgentProtocol.RunFrame(new AgentLimits(Timeout.InfiniteTimeSpan, 1), [["true"]], [], []).AsSpan(8);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(p[4..]));
    }

    [Fact]
    public void Ready_FromAVersion3Agent_IsRefused()
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, 3);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 1);
        Assert.False(AgentProtocol.ParseReady(payload).Ok);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 }, false)]
    [InlineData(new byte[] { 0xFF, 0xFE }, false)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x86, 0x92 }, true)]
    public void OutputFile_IsTextOnlyWhenValidUtf8WithoutNul(byte[] content, bool isText) =>
        Assert.Equal(isText, new OutputFile("f", content).IsText);

    [Fact]
    public void FileFrame_OfAnUnknownKind_IsRefused() =>
        Assert.Throws<InvalidDataException>(() => AgentProtocol.ParseFile([9, 0, 0, 0, 0]));

    [Fact]
    public void Output_SplitInsideAMultibyteCharacter_DecodesWhole()
    {
        var run = NewRun();
        var bytes = Encoding.UTF8.GetBytes("héllo → 🙂");
        for (var i = 0; i < bytes.Length; i++)
        {
            run.OnOutput(FrameType.Stdout, bytes.AsSpan(i, 1));
        }

        run.Complete(new RunVerdict());
        var text = string.Concat(ReadAll(run).Select(e => e.Text));
        Assert.Equal("héllo → 🙂", text);
    }

    [Fact]
    public void InvalidUtf8_BecomesReplacementCharacters_AndATruncatedTailIsFlushed()
    {
        var run = NewRun();
        run.OnOutput(FrameType.Stderr, [0x61, 0xFF, 0x62, 0x00, 0xE2, 0x82]);
        run.Complete(new RunVerdict());
        var events = ReadAll(run);
        Assert.All(events, e => Assert.Equal(ConsoleStream.Stderr, e.Stream));
        Assert.Equal("a\uFFFDb\0\uFFFD", string.Concat(events.Select(e => e.Text)));
    }

    private static List<ConsoleEvent> ReadAll(Run run)
    {
        var events = new List<ConsoleEvent>();
        while (run.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        Assert.True(run.Events.Completion.IsCompleted);
        return events;
    }
}
