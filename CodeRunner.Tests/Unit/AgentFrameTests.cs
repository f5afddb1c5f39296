using System.IO.Pipelines;
using System.Text;
using CodeRunner.Engine;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Unit;

/// <summary>What a run sends its agent, read from an in-memory attach stream: run ids, kept input, and its bound.</summary>
public sealed class AgentFrameTests
{
    [Fact]
    public async Task InputWrittenBeforeTheStart_FollowsTheRunFrame_UnderTheRunsId()
    {
        await using var agent = new FakeAgent();
        var run = NewRun();
        await run.WriteStdinAsync("first\n");
        await run.WriteStdinAsync("second\n");
        await run.CloseStdinAsync();

        await run.StartAsync(agent.Connection);

        var frames = await agent.ReceiveAsync(4);
        var id = AgentProtocol.RunIdOf(frames[0].Frame);
        Assert.NotEqual(0u, id);
        Assert.Equal(run.AgentRunId, id);
        Assert.Equal(
            [(FrameType.Run, id, ""), (FrameType.Stdin, id, "first\n"), (FrameType.Stdin, id, "second\n"), (FrameType.StdinEof, id, "")],
            frames.Select(f => (f.Type, AgentProtocol.RunIdOf(f.Frame), f.Type == FrameType.Stdin ? Encoding.UTF8.GetString(f.Frame.AsSpan(12)) : "")));
    }

    [Fact]
    public async Task ALaterRunOnTheSameConnection_GetsAnotherId_AndAStopForTheFirstCarriesTheFirstsId()
    {
        await using var agent = new FakeAgent();
        var first = NewRun();
        var second = NewRun();
        await first.StartAsync(agent.Connection);
        await second.StartAsync(agent.Connection);
        await first.StopAsync();

        var frames = await agent.ReceiveAsync(3);
        Assert.NotEqual(first.AgentRunId, second.AgentRunId);
        Assert.Equal(
            [(FrameType.Run, first.AgentRunId), (FrameType.Run, second.AgentRunId), (FrameType.Kill, first.AgentRunId)],
            frames.Select(f => (f.Type, AgentProtocol.RunIdOf(f.Frame))));
    }

    [Fact]
    public async Task InputBeforeTheStart_PastTheBound_IsRefusedWithASentenceAndTheRestIsKept()
    {
        await using var agent = new FakeAgent();
        var run = NewRun();
        var line = new string('x', 1023) + "\n";
        for (var i = 0; i < Run.MaxPendingStdinBytes / line.Length; i++)
        {
            await run.WriteStdinAsync(line);
        }

        var refused = await Assert.ThrowsAsync<InputNotSentException>(() => run.WriteStdinAsync("one more\n").AsTask());
        Assert.Contains("once it is running", refused.Message);

        await run.StartAsync(agent.Connection);
        var frames = await agent.ReceiveAsync(1 + Run.MaxPendingStdinBytes / line.Length);
        Assert.Equal(Run.MaxPendingStdinBytes, frames.Where(f => f.Type == FrameType.Stdin).Sum(f => f.Frame.Length - 12));
    }

    [Fact]
    public async Task InputGivenUpFront_FollowsTheRunFrameWithEndOfInput_AndLaterInputIsDropped()
    {
        await using var agent = new FakeAgent();
        var run = NewRun(stdin: "3 4\n");
        await run.WriteStdinAsync("typed later\n");

        await run.StartAsync(agent.Connection);
        await run.WriteStdinAsync("typed after the start\n");
        await run.StopAsync();

        var frames = await agent.ReceiveAsync(4);
        Assert.Equal(
            [(FrameType.Run, ""), (FrameType.Stdin, "3 4\n"), (FrameType.StdinEof, ""), (FrameType.Kill, "")],
            frames.Select(f => (f.Type, f.Type == FrameType.Stdin ? Encoding.UTF8.GetString(f.Frame.AsSpan(12)) : "")));
    }

    [Fact]
    public async Task InputAfterTheStart_IsNotBounded()
    {
        await using var agent = new FakeAgent();
        var run = NewRun();
        await run.StartAsync(agent.Connection);
        var big = new string('x', Run.MaxPendingStdinBytes + 1);

        await run.WriteStdinAsync(big);

        var frames = await agent.ReceiveAsync(2);
        Assert.Equal(Run.MaxPendingStdinBytes + 1, frames[1].Frame.Length - 12);
    }

    [Fact]
    public async Task AnImageFrameBetweenOutput_ReachesTheRunsEventsInOrder_WithItsBytes()
    {
        await using var agent = new FakeAgent();
        var run = NewRun();
        await run.StartAsync(agent.Connection);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 1, 2, 3];

        await agent.SendAsync(FrameType.Stdout, "before\n"u8.ToArray());
        await agent.SendAsync(FrameType.Image, png);
        await agent.SendAsync(FrameType.Stdout, "after\n"u8.ToArray());

        var events = new List<ConsoleEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (events.Count < 3)
        {
            events.Add(await run.Events.ReadAsync(timeout.Token));
        }

        Assert.Equal(
            [(ConsoleStream.Stdout, "before\n", ""), (ConsoleStream.Image, "", Convert.ToHexString(png)), (ConsoleStream.Stdout, "after\n", "")],
            events.Select(e => (e.Stream, e.Text, Convert.ToHexString(e.Data.Span))));
    }

    [Fact]
    public async Task FileFramesBeforeExit_ReachTheVerdict_ByPath_WithWhatWasLeftOut()
    {
        await using var agent = new FakeAgent();
        var run = NewRun();
        await run.StartAsync(agent.Connection);

        await agent.SendAsync(FrameType.File, FilePayload("results.csv", "x,y\n1,2\n"u8));
        await agent.SendAsync(FrameType.File, FilePayload("out.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF]));
        await agent.SendAsync(FrameType.File, FilePayload("../escape.txt", "refused"u8));
        await agent.SendAsync(FrameType.File, [2, 3, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
        await agent.SendAsync(FrameType.Exit, new byte[30]);
        var verdict = run.VerdictFor((await run.Exit.WaitAsync(TimeSpan.FromSeconds(10)))!.Value);

        Assert.Equal([("out.png", false, 6L), ("results.csv", true, 8L)], verdict.OutputFiles.Select(f => (f.Path, f.IsText, f.Size)));
        Assert.Equal(new OutputFilesLeftOut(4, 4096 + 7, OutputFileCaps.Count | OutputFileCaps.Path), verdict.OutputFilesLeftOut);
    }

    private static byte[] FilePayload(string path, ReadOnlySpan<byte> content)
    {
        var name = Encoding.UTF8.GetBytes(path);
        return [1, .. BitConverter.GetBytes((uint)name.Length), .. name, .. content];
    }

    private static Run NewRun(string? stdin = null)
    {
        var catalog = new RuntimeCatalog(Options.Create(new EngineOptions()));
        return new Run(RunPlanner.Plan(new RunRequest { EntryFile = "a.py", Files = [SourceFile.Text("a.py", "")], StdinText = stdin }, catalog, new RequestLimits()));
    }

    /// <summary>The agent's end of an attach stream: it records the frames the engine sends, and answers nothing.</summary>
    private sealed class FakeAgent : IAsyncDisposable
    {
        // No back-pressure: a test reads what was sent only after sending it.
        private readonly Pipe _toAgent = new(new PipeOptions(pauseWriterThreshold: 0));
        private readonly Pipe _fromAgent = new();
        private readonly FrameBuffer _received = new();

        public FakeAgent()
        {
            var stream = new DuplexStream(_fromAgent.Reader.AsStream(), _toAgent.Writer.AsStream());
            Connection = new AgentConnection("0123456789abcdef", new MultiplexedStream(stream, multiplexed: false), NullLogger.Instance);
        }

        public AgentConnection Connection { get; }

        /// <summary>Reads the next frames the engine sent, each whole, header included.</summary>
        public async Task<List<(FrameType Type, byte[] Frame)>> ReceiveAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var frames = new List<(FrameType, byte[])>();
            while (true)
            {
                while (frames.Count < count && _received.TryRead(out var type, out var payload))
                {
                    frames.Add((type, AgentProtocol.Frame(type, payload)));
                }

                if (frames.Count == count)
                {
                    break;
                }

                var result = await _toAgent.Reader.ReadAsync(timeout.Token);
                foreach (var segment in result.Buffer)
                {
                    segment.Span.CopyTo(_received.GetWriteMemory(segment.Length).Span);
                    _received.Advance(segment.Length);
                }

                _toAgent.Reader.AdvanceTo(result.Buffer.End);
            }

            return frames;
        }

        /// <summary>Sends a frame as the agent would, on its stdout.</summary>
        public async Task SendAsync(FrameType type, byte[] payload) => await _fromAgent.Writer.WriteAsync(AgentProtocol.Frame(type, payload));

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    /// <summary>A stream that reads from one pipe and writes to another, as an attach stream does.</summary>
    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            read.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            read.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            write.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            write.WriteAsync(buffer, cancellationToken);

        public override void Flush() => write.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                read.Dispose();
                write.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
