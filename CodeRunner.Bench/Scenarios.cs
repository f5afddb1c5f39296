using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Engine.Sessions;

namespace CodeRunner.Bench;

/// <summary>Each figure of the benchmark, measured against the real engine and Docker.</summary>
internal sealed class Scenarios(ExecutionEngine engine, ContainerFactory factory, EngineLabels labels, BenchSettings settings, Figures figures)
{
    private static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The floor (hello world spawned by a process already in a running container, through the agent's own spawn
    /// code) and fast mode (from the engine's start-run call to the verdict, files included), measured in alternating
    /// rounds so that both see the same machine: this one is shared and noisy.
    /// </summary>
    public async Task FloorAndFastAsync(string language)
    {
        const int Rounds = 5;
        var request = HelloWorlds.Request(language);
        var plan = RunPlanner.Plan(request, engine.Catalog, engine.Options.Requests);
        var runtime = plan.Language.Runtime;
        await using var container = await factory.CreateAsync(runtime, "none", labels.For(Labels.RolePool, pool: runtime.Name), CreationPriority.RunWaiting);
        foreach (var file in plan.Files)
        {
            await Cli.RunAsync("docker", ["exec", "-i", container.Id, "sh", "-c", $"cat > {SandboxPaths.Workspace}/{file.Path}"],
                System.Text.Encoding.UTF8.GetString(file.Content.Span));
        }

        await using var session = engine.CreateSession();
        await FloorRoundAsync(container.Id, plan, settings.Warmup);
        await SequentialAsync(session, request, settings.Warmup, 0);
        var floor = new List<double>();
        var fast = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            floor.AddRange(await FloorRoundAsync(container.Id, plan, Math.Max(1, settings.FloorIterations / Rounds)));
            fast.AddRange(await SequentialAsync(session, request, 0, Math.Max(1, settings.FastRuns / Rounds)));
        }

        figures.Add($"floor_{language}_p50_ms", Stats.Percentile(floor, 50));
        figures.Add($"fast_{language}_p50_ms", Stats.Percentile(fast, 50), baseline: $"floor_{language}_p50_ms");
        figures.Add($"fast_{language}_p95_ms", Stats.Percentile(fast, 95), baseline: $"floor_{language}_p50_ms");
    }

    /// <summary>Python hello world in fast mode, start to verdict, after one warm-up run.</summary>
    public async Task FastPythonAsync(int runs)
    {
        await using var session = engine.CreateSession();
        var times = await SequentialAsync(session, HelloWorlds.Request("python"), 1, runs);
        figures.Add($"fast_python_{runs}runs_p50_ms", Stats.Percentile(times, 50));
    }

    private static async Task<List<double>> FloorRoundAsync(string containerId, RunPlan plan, int iterations)
    {
        var arguments = new List<string> { "exec" };
        arguments.AddRange(plan.Environment.SelectMany(e => new[] { "-e", e }));
        arguments.AddRange([containerId, "/usr/local/sbin/coderunner-agent", "--bench", iterations.ToString(), "--"]);

        // Each iteration starts, as a fast-mode run does, with nothing in /build and /tmp: `go build` would otherwise
        // find its last output up to date and skip the link. The emptying is timed too, so the floor errs high.
        arguments.AddRange(["find", SandboxPaths.Build, SandboxPaths.Tmp, "-mindepth", "1", "-delete"]);
        foreach (var step in BareSteps(plan))
        {
            arguments.AddRange(["--then", .. step]);
        }

        return (await Cli.RunAsync("docker", arguments)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(double.Parse).ToList();
    }

    /// <summary>
    /// The plan's steps as the bare toolchain would run them: the compile without the language's speed flags (C++'s
    /// precompiled headers and linker), which the engine puts right after the compiler's name.
    /// </summary>
    private static IEnumerable<IReadOnlyList<string>> BareSteps(RunPlan plan)
    {
        var speedFlags = plan.Language.SpeedFlags.Count;
        return plan.Steps.Select((step, i) => i == 0 && plan.HasCompileStep && speedFlags > 0 ? [step[0], .. step.Skip(1 + speedFlags)] : step);
    }

    /// <summary>What a user would otherwise do: docker exec into a running container, and docker run --rm.</summary>
    public async Task AlternativesAsync()
    {
        var image = engine.Catalog.Find("python")!.Runtime.Image;
        string[] limits = ["--network", "none", "--cpus", "0.5", "--memory", "128m",
            "--label", $"{Labels.Managed}=true", "--label", $"{Labels.Owner}={labels.Owner}"];
        var id = (await Cli.RunAsync("docker", ["run", "-d", .. limits, "--entrypoint", "sleep", image, "infinity"])).Trim();
        try
        {
            await Cli.RunAsync("docker", ["exec", "-i", id, "sh", "-c", "cat > /tmp/main.py"], "print('hello')\n");
            var exec = new List<double>();
            for (var i = 0; i < settings.CliRuns + 1; i++)
            {
                exec.Add(await Cli.TimeAsync("docker", "exec", id, "python3", "/tmp/main.py"));
            }

            figures.Add("docker_exec_python_p50_ms", Stats.Percentile(exec.Skip(1).ToList(), 50), baseline: "floor_python_p50_ms");
        }
        finally
        {
            await Cli.RunAsync("docker", ["rm", "-f", id]);
        }

        var run = new List<double>();
        for (var i = 0; i < settings.CliRuns + 1; i++)
        {
            run.Add(await Cli.TimeAsync("docker", ["run", "--rm", .. limits, "--entrypoint", "python3", image, "-c", "print('hello')"]));
        }

        figures.Add("docker_run_python_p50_ms", Stats.Percentile(run.Skip(1).ToList(), 50), baseline: "floor_python_p50_ms");
    }

    /// <summary>
    /// The first network-mode run of a new session (its network included), and later runs of that session. Students
    /// arrive one after another: each first run starts when the engine has a warm network kit again.
    /// </summary>
    public async Task NetworkAsync()
    {
        var request = HelloWorlds.Request("python", RunMode.Network);
        var first = new List<double>();
        for (var i = 0; i < settings.NetworkFirstRuns; i++)
        {
            await WaitForKitAsync();
            await using var fresh = engine.CreateSession();
            first.Add(await TimeRunAsync(fresh, request));
        }

        figures.Add("network_first_python_p50_ms", Stats.Percentile(first, 50), baseline: "fast_python_p50_ms");
        await using var session = engine.CreateSession();
        var next = await SequentialAsync(session, request, settings.Warmup, settings.NetworkNextRuns);
        figures.Add("network_next_python_p50_ms", Stats.Percentile(next, 50), baseline: "fast_python_p50_ms");
    }

    /// <summary>The first network-mode run when no kit is warm (a rush of new sessions): network, holder and container made for it.</summary>
    public static async Task NetworkColdAsync(ExecutionEngine coldEngine, BenchSettings settings, Figures figures)
    {
        var request = HelloWorlds.Request("python", RunMode.Network);
        var first = new List<double>();
        for (var i = 0; i < settings.NetworkFirstRuns; i++)
        {
            await using var fresh = coldEngine.CreateSession();
            first.Add(await TimeRunAsync(fresh, request));
        }

        figures.Add("network_first_cold_python_p50_ms", Stats.Percentile(first, 50), baseline: "network_first_python_p50_ms");
    }

    private async Task WaitForKitAsync()
    {
        var waited = Stopwatch.StartNew();
        while (engine.GetStatus().NetworkKitsReady == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Many Python hello worlds started at the same instant from as many sessions.</summary>
    public async Task BurstAsync()
    {
        var sessions = Enumerable.Range(0, settings.BurstSize).Select(_ => engine.CreateSession()).ToList();
        var request = HelloWorlds.Request("python");
        var failed = 0;
        var times = new ConcurrentBag<double>();
        using var start = new ManualResetEventSlim();
        var tasks = sessions.Select(s => Task.Run(async () =>
        {
            start.Wait();
            var started = Stopwatch.GetTimestamp();
            var verdict = await (await s.StartRunAsync(request)).Completion;
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!verdict.Succeeded)
            {
                Interlocked.Increment(ref failed);
            }
        })).ToList();
        await Task.Delay(100);
        start.Set();
        await Task.WhenAll(tasks);
        var n = settings.BurstSize;
        figures.Add($"burst{n}_p50_ms", Stats.Percentile(times, 50), baseline: "fast_python_p50_ms");
        figures.Add($"burst{n}_p95_ms", Stats.Percentile(times, 95), baseline: "fast_python_p50_ms");
        figures.Add($"burst{n}_max_ms", times.Max(), baseline: "fast_python_p50_ms");
        figures.Add($"burst{n}_failed", failed, unit: "runs");
        await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
        await engine.Warmed; // pools refill in the background; the next scenario should not pay for it
        await Task.Delay(2000);
    }

    /// <summary>Sustained Python hello worlds per second from several concurrent sessions.</summary>
    public async Task ThroughputAsync()
    {
        var request = HelloWorlds.Request("python");
        var completed = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.ThroughputDuration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, settings.ThroughputSessions).Select(async _ =>
        {
            await using var session = engine.CreateSession();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if ((await (await session.StartRunAsync(request)).Completion).Succeeded)
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }));
        figures.Add("throughput_python_rps", completed / Stopwatch.GetElapsedTime(started).TotalSeconds, unit: "run/s");
    }

    /// <summary>
    /// Runs one after another with the floor's pause between them (agent's BENCH_PAUSE_MS), so that both compare a run
    /// on a container whose CPU quota has refilled.
    /// </summary>
    internal static async Task<List<double>> SequentialAsync(IEngineSession session, RunRequest request, int warmup, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < warmup + runs; i++)
        {
            await Task.Delay(PauseBetweenRuns);
            var time = await TimeRunAsync(session, request);
            if (i >= warmup)
            {
                times.Add(time);
            }
        }

        return times;
    }

    private static async Task<double> TimeRunAsync(IEngineSession session, RunRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var verdict = await (await session.StartRunAsync(request)).Completion;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return verdict.Succeeded ? elapsed : throw new InvalidOperationException($"A benchmark run failed: {verdict.Summary}");
    }
}
