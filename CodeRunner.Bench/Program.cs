using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CodeRunner.Bench;
using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Measures the engine against the floor and the alternatives, in one run on one machine, and prints the figures
// with their ratios. Usage: scripts/bench [--quick] [--output PATH]. --quick is a tiny setting for the tests.
// With --soak [--minutes M] [--sessions N] it runs the soak instead (scripts/soak); with --hello N it only warms the
// pools from nothing and times N fast-mode Python hello worlds; with --language L [--runs N] it only measures L's floor
// and fast mode; with --classroom [--students N] [--seconds S] it only measures a class at work (ClassroomScenario);
// with --load only Python's floor and fast mode, the burst and the throughput; with --testrun it only measures test runs
// (TestRunScenario); with --kernel it only measures notebook kernels (KernelScenario); with --sql only SQL runs (SqlScenario);
// with --ui only Python's fast mode and the IDE's click-to-first-output in Chromium (UiScenario), in alternating rounds.
// --pool N sets the pools' size (3).
var quick = args.Contains("--quick");
var soak = args.Contains("--soak");
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var output = Option("--output") ?? Path.Combine("artifacts", "bench", "latest.json");
var settings = quick ? BenchSettings.Quick : BenchSettings.Full;

var figures = new Figures();
if (args.Contains("--classroom"))
{
    return await ClassroomAloneAsync();
}

var warmStarted = Stopwatch.GetTimestamp();
var poolsWarmMs = 0.0;
using var host = await StartEngineAsync(new()
{
    ["Engine:PoolSize"] = Option("--pool") ?? "3",
    // The soak checks that pools grown in a rush come back to their size; it need not wait the default 5 minutes.
    ["Engine:PoolTrimAfter"] = soak ? "00:00:15" : "00:05:00",
}, onPoolsWarm: () => poolsWarmMs = Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds);
var engine = host.Services.GetRequiredService<ExecutionEngine>();
// Ctrl-C or SIGTERM (the console lifetime holds the process then): the soak ends its load early and reports; the
// benchmark stops the engine, which removes what it made, and leaves.
var finishing = false;
using var interrupted = new CancellationTokenSource();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
{
    if (Volatile.Read(ref finishing))
    {
        return;
    }

    interrupted.Cancel();
    if (!soak)
    {
        _ = Task.Run(async () =>
        {
            Console.Error.WriteLine("interrupted: removing the containers and networks this run made…");
            await host.StopAsync(TimeSpan.FromSeconds(30));
            Environment.Exit(130);
        });
    }
});
var labels = host.Services.GetRequiredService<EngineLabels>();
if (soak)
{
    var code = await new Soak(engine, host.Services.GetRequiredService<IContainerOperations>(), host.Services.GetRequiredService<INetworkOperations>(),
        labels, TimeSpan.FromMinutes(double.Parse(Option("--minutes") ?? "5")), int.Parse(Option("--sessions") ?? "40")).RunAsync(interrupted.Token);
    await FinishAsync();
    return code;
}

try
{
    return await BenchAsync();
}
catch when (interrupted.IsCancellationRequested)
{
    await Task.Delay(Timeout.Infinite); // the interruption leaves once the engine has removed what it made
    return 130;
}

async Task<int> BenchAsync()
{
    figures.Add("warm_all_pools_ms", poolsWarmMs);
    figures.Add("warm_network_kits_ms", Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds, baseline: "warm_all_pools_ms");
    Scenarios ScenariosWith(BenchSettings chosen) => new(engine, host.Services.GetRequiredService<ContainerFactory>(), labels, chosen, figures);
    var full = false;
    if (Option("--hello") is { } runs)
    {
        // The two figures of the engine issue: pools warmed from nothing, and Python hello world start to verdict.
        await ScenariosWith(settings).FastPythonAsync(int.Parse(runs));
    }
    else if (args.Contains("--testrun"))
    {
        await new TestRunScenario(engine, figures, quick).RunAsync(interrupted.Token);
    }
    else if (args.Contains("--kernel"))
    {
        await new KernelScenario(engine, figures, quick).RunAsync(interrupted.Token);
    }
    else if (args.Contains("--ui"))
    {
        // The engine's figure in rounds between the IDE's, so that the ratio compares the two on the same machine.
        await using var session = engine.CreateSession();
        var request = HelloWorlds.Request("python");
        await Scenarios.SequentialAsync(session, request, settings.Warmup, 0);
        var fast = new List<double>();
        await new UiScenario(settings, figures).RunAsync(async () =>
            fast.AddRange(await Scenarios.SequentialAsync(session, request, 0, Math.Max(1, settings.FastRuns / UiScenario.Rounds))));
        figures.Add("fast_python_p50_ms", Stats.Percentile(fast, 50));
    }
    else if (args.Contains("--sql"))
    {
        await new SqlScenario(engine, figures, quick).RunAsync(interrupted.Token);
    }
    else if (args.Contains("--load"))
    {
        // Python alone, then many sessions at once: burst and throughput, to compare two builds run one after the other.
        var scenarios = ScenariosWith(settings);
        await scenarios.FloorAndFastAsync("python");
        await scenarios.BurstAsync();
        await scenarios.ThroughputAsync();
    }
    else if (Option("--language") is { } only)
    {
        // One language's floor and fast mode, with more runs when asked: to tell a real overhead from noise.
        var count = int.Parse(Option("--runs") ?? settings.FastRuns.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        await ScenariosWith(settings with { FloorIterations = count, FastRuns = count }).FloorAndFastAsync(only);
    }
    else
    {
        await EveryScenarioAsync(ScenariosWith(settings));
        full = true;
    }

    await FinishAsync();
    if (full)
    {
        Console.WriteLine();
    }

    figures.PrintTable(Console.Out);
    if (full)
    {
        await figures.WriteJsonAsync(output);
        Console.WriteLine($"\nwritten to {output}");
    }

    return 0;
}

async Task EveryScenarioAsync(Scenarios scenarios)
{
    foreach (var language in HelloWorlds.Languages)
    {
        await scenarios.FloorAndFastAsync(language);
    }

    await scenarios.AlternativesAsync();
    await scenarios.NetworkAsync();
    using (var cold = await StartEngineAsync(new() { ["Engine:PoolSize"] = "0", ["Engine:NetworkKits"] = "0" }))
    {
        await Scenarios.NetworkColdAsync(cold.Services.GetRequiredService<ExecutionEngine>(), settings, figures);
        await cold.StopAsync();
    }

    await scenarios.BurstAsync();
    await scenarios.ThroughputAsync();
    await new TestRunScenario(engine, figures, quick).RunAsync(interrupted.Token);
    await new KernelScenario(engine, figures, quick).RunAsync(interrupted.Token);
    await new SqlScenario(engine, figures, quick).RunAsync(interrupted.Token);
    var web = new WebScenarios(engine, settings, figures);
    await web.OutputAsync();
    await web.MemoryAsync();
    await new UiScenario(settings, figures).RunAsync();
    await Classroom().RunAsync(interrupted.Token);
}

ClassroomScenario Classroom() => new(
    int.Parse(Option("--students") ?? settings.ClassroomStudents.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
    Option("--seconds") is { } seconds ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)) : settings.ClassroomDuration,
    figures);

// The class alone. Its web host has an engine of its own, so none is started here. Ctrl-C or SIGTERM stops the web host
// (which removes its containers), the browser and the class, and leaves.
async Task<int> ClassroomAloneAsync()
{
    using var stop = new CancellationTokenSource();
    void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    try
    {
        await Classroom().RunAsync(stop.Token);
    }
    catch (Exception) when (stop.IsCancellationRequested)
    {
        Console.Error.WriteLine("interrupted: the web host has stopped and removed the containers it made.");
        return 130;
    }

    figures.PrintTable(Console.Out);
    return 0;
}

Task FinishAsync()
{
    Volatile.Write(ref finishing, true);
    return host.StopAsync();
}

// An engine hosted as the web host hosts it, started, with every pool and network kit warm.
static async Task<IHost> StartEngineAsync(Dictionary<string, string?> configuration, Action? onPoolsWarm = null)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Configuration.AddInMemoryCollection(configuration);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddCodeRunnerEngine();
    var host = builder.Build();
    await host.StartAsync();
    var engine = host.Services.GetRequiredService<ExecutionEngine>();
    while (!engine.Warmed.IsCompleted && engine.GetStatus().Pools.Any(p => p.Warm < engine.Options.PoolSize))
    {
        await Task.Delay(10);
    }

    onPoolsWarm?.Invoke();
    await engine.Warmed;
    return engine.Problem is { } problem ? throw new InvalidOperationException(problem) : host;
}
