using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;

namespace CodeRunner.Bench;

/// <summary>
/// Many concurrent sessions mixing fast and network mode, ordinary and hostile programs, opening and closing like
/// browser tabs, for minutes; then checks that nothing leaked and that memory came back to where it started.
/// </summary>
internal sealed class Soak(ExecutionEngine engine, IContainerOperations containers, INetworkOperations networks, EngineLabels labels,
    TimeSpan duration, int sessionCount)
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _times = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private int _completed;
    private int _hostile;

    /// <summary>A first stretch of the same load, so that the start snapshot is taken in the steady state.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    /// <summary>Runs the load; when <paramref name="interrupted"/> fires, ends it early and reports what ran.</summary>
    public async Task<int> RunAsync(CancellationToken interrupted)
    {
        Console.Error.WriteLine($"soak: warming up with the same load for {WarmUp.TotalSeconds:0} s…");
        await LoadAsync(WarmUp, interrupted);
        if (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("soak: interrupted during the warm-up; nothing to report.");
            return 130;
        }

        await SettleAsync();
        _times.Clear();
        _failures.Clear();
        _completed = _hostile = 0;
        var start = await SnapshotAsync();
        Console.Error.WriteLine($"soak: {sessionCount} sessions for {duration.TotalMinutes:0.#} min…");
        var loaded = Stopwatch.StartNew();
        await LoadAsync(duration, interrupted);
        if (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine($"soak: interrupted after {loaded.Elapsed.TotalMinutes:0.#} min; letting runs end and reporting what ran…");
        }

        await SettleAsync();
        var end = await SnapshotAsync();
        var code = Report(start, end);
        return interrupted.IsCancellationRequested ? 130 : code;
    }

    private Task LoadAsync(TimeSpan length, CancellationToken interrupted)
    {
        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, sessionCount).Select(i => UserAsync(i, until, interrupted)));
    }

    /// <summary>One student: runs a program, reads its output, runs another; now and then closes the tab and opens a new one.</summary>
    private async Task UserAsync(int index, long until, CancellationToken interrupted)
    {
        var random = new Random(index);
        var session = engine.CreateSession();
        try
        {
            while (Stopwatch.GetTimestamp() < until && !interrupted.IsCancellationRequested)
            {
                var roll = random.Next(100);
                await (roll switch
                {
                    < 55 => Ordinary(session, random, RunMode.Fast),
                    < 70 => Ordinary(session, random, RunMode.Network),
                    < 78 => InteractiveAsync(session),
                    < 84 => ServerAndClientAsync(session),
                    < 92 => HostileAsync(session, random),
                    _ => Task.CompletedTask,
                });
                if (random.Next(20) == 0)
                {
                    await session.DisposeAsync();
                    session = engine.CreateSession();
                }

                // A student reads the output before running again.
                await Task.Delay(random.Next(500, 2500), interrupted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            await session.DisposeAsync();
        }
    }

    private Task Ordinary(IEngineSession session, Random random, RunMode mode) =>
        ExpectAsync(session, HelloWorlds.Request(random.Next(3) switch { 0 => "python", 1 => "javascript", _ => "c" }, mode), "hello\n");

    private async Task InteractiveAsync(IEngineSession session)
    {
        var started = Stopwatch.GetTimestamp();
        var run = await session.StartRunAsync(Request("ask.py", "name = input('Name: ')\nprint('Hi ' + name)"));
        await run.WriteStdinAsync("Ada\n");
        Record("interactive", "ask.py", started, await run.Completion, await ReadStdoutAsync(run) == "Name: Hi Ada\n");
    }

    private async Task ServerAndClientAsync(IEngineSession session)
    {
        const string server = "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind(('127.0.0.1', 7000))\ns.listen()\nprint('up', flush=True)\nc, _ = s.accept()\nc.sendall(c.recv(64))\nc.close()";
        const string client = "import socket, time\nfor _ in range(200):\n    try:\n        c = socket.create_connection(('127.0.0.1', 7000))\n"
            + "        break\n    except OSError:\n        time.sleep(0.1)\nc.sendall(b'pong')\nprint(c.recv(64).decode())";
        var started = Stopwatch.GetTimestamp();
        var serverRun = await session.StartRunAsync(Request("server.py", server, RunMode.Network));
        var clientRun = await session.StartRunAsync(Request("client.py", client, RunMode.Network));
        var output = await ReadStdoutAsync(clientRun);
        await serverRun.StopAsync();
        Record("server and client", "client.py", started, await clientRun.Completion, output == "pong\n");
        await serverRun.Completion;
    }

    /// <summary>A hostile program: contained means a verdict that says so, not an engine error.</summary>
    private async Task HostileAsync(IEngineSession session, Random random)
    {
        Interlocked.Increment(ref _hostile);
        var (entry, code, contained) = random.Next(5) switch
        {
            0 => ("bomb.c", "#include <unistd.h>\nint main(void) { for (;;) fork(); }", (Func<RunVerdict, bool>)(v => v.TimedOut)),
            1 => ("memory.py", "a = []\nwhile True:\n    a.append(b'x' * 8_000_000)", v => v.OutOfMemory),
            2 => ("flood.py", "while True:\n    print('x' * 100)", v => v.OutputLimitExceeded),
            3 => ("escape.py", "import subprocess\nsubprocess.Popen(['setsid', 'sleep', '600'])", v => v.ExitCode == 0),
            _ => ("disk.py", "f = open('/tmp/x', 'wb')\nwhile True:\n    f.write(b'x' * 1048576)", v => v.ExitCode == 1 || v.OutOfMemory),
        };
        var run = await session.StartRunAsync(Request(entry, code));
        while (await run.Events.WaitToReadAsync())
        {
            while (run.Events.TryRead(out _))
            {
            }
        }

        var verdict = await run.Completion;
        if (verdict.Error is not null || !contained(verdict))
        {
            _failures.AddOrUpdate($"hostile {entry}: {verdict.Summary}", 1, (_, n) => n + 1);
        }
    }

    private async Task ExpectAsync(IEngineSession session, RunRequest request, string expected)
    {
        var started = Stopwatch.GetTimestamp();
        var run = await session.StartRunAsync(request);
        var output = await ReadStdoutAsync(run);
        Record(request.Mode == RunMode.Network ? "network mode" : "fast mode", request.EntryFile, started, await run.Completion, output == expected);
    }

    private void Record(string kind, string what, long started, RunVerdict verdict, bool expectedOutput)
    {
        if (verdict.Succeeded && expectedOutput)
        {
            Interlocked.Increment(ref _completed);
            _times.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            _failures.AddOrUpdate($"{kind}, {what}: {verdict.Summary}", 1, (_, n) => n + 1);
        }
    }

    private static async Task<string> ReadStdoutAsync(IRunHandle run)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var e in run.Events.ReadAllAsync())
        {
            if (e.Stream == ConsoleStream.Stdout)
            {
                text.Append(e.Text);
            }
        }

        return text.ToString();
    }

    private static RunRequest Request(string entry, string code, RunMode mode = RunMode.Fast) =>
        new() { EntryFile = entry, Files = [SourceFile.Text(entry, code)], Mode = mode };

    /// <summary>Waits until pools are trimmed back to their target, so that snapshots compare.</summary>
    private async Task SettleAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < engine.Options.PoolTrimAfter + TimeSpan.FromSeconds(60)
               && engine.Pools.Values.Any(p => p.LiveCount != engine.Options.PoolSize || p.IdleCount != engine.Options.PoolSize))
        {
            await Task.Delay(500);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        var mine = (await containers.ListManagedAsync()).Count(c => c.Labels.GetValueOrDefault(Labels.Owner) == labels.Owner);
        var nets = (await networks.ListManagedAsync()).Count(n => n.Labels.GetValueOrDefault(Labels.Owner) == labels.Owner);
        return new Snapshot(mine, nets, Directory.GetFiles("/proc/self/fd").Length, self.WorkingSet64 / 1048576.0,
            GC.GetTotalMemory(false) / 1048576.0);
    }

    private int Report(Snapshot start, Snapshot end)
    {
        var failed = _failures.Values.Sum();
        Console.WriteLine();
        Console.WriteLine($"runs completed   {_completed} (+ {_hostile} hostile, contained unless listed below)");
        Console.WriteLine($"runs failed      {failed}");
        foreach (var (what, count) in _failures.OrderByDescending(f => f.Value).Take(10))
        {
            Console.WriteLine($"  {count} × {what}");
        }

        var all = _times.Values.SelectMany(t => t).ToList();
        Console.WriteLine($"run time         p50 {Stats.Percentile(all, 50):0} ms, p95 {Stats.Percentile(all, 95):0} ms");
        foreach (var (kind, times) in _times.OrderBy(t => t.Key))
        {
            Console.WriteLine($"  {kind,-18} {times.Count,5} runs, p50 {Stats.Percentile(times, 50):0} ms, p95 {Stats.Percentile(times, 95):0} ms");
        }

        Console.WriteLine($"{"",-16} {"start",10} {"end",10}");
        Console.WriteLine($"{"containers",-16} {start.Containers,10} {end.Containers,10}");
        Console.WriteLine($"{"networks",-16} {start.Networks,10} {end.Networks,10}");
        Console.WriteLine($"{"file descriptors",-16} {start.FileDescriptors,10} {end.FileDescriptors,10}");
        Console.WriteLine($"{"RSS (MB)",-16} {start.RssMb,10:0.0} {end.RssMb,10:0.0}");
        Console.WriteLine($"{"managed (MB)",-16} {start.ManagedMb,10:0.0} {end.ManagedMb,10:0.0}");
        var leaked = end.Containers > start.Containers || end.Networks > start.Networks || end.FileDescriptors > start.FileDescriptors + 5;
        var grew = end.RssMb > start.RssMb * 1.10;
        Console.WriteLine(leaked ? "LEAK: resources were left behind" : "nothing leaked");
        Console.WriteLine(grew ? $"memory grew by {(end.RssMb / start.RssMb - 1) * 100:0}%" : $"memory flat within 10% ({(end.RssMb / start.RssMb - 1) * 100:+0.0;-0.0}%)");
        return leaked || grew || failed > 0 ? 1 : 0;
    }

    private sealed record Snapshot(int Containers, int Networks, int FileDescriptors, double RssMb, double ManagedMb);
}
