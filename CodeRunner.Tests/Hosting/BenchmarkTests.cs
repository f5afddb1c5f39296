using System.Diagnostics;
using System.Text.Json;
using CodeRunner.Tests.EndToEnd;

namespace CodeRunner.Tests.Hosting;

/// <summary>The benchmark is a program, not a timed test: this only checks that it runs and writes every figure.</summary>
public sealed class BenchmarkTests
{
    private static readonly string[] Languages = ["python", "javascript", "c", "cpp", "java", "typescript", "go", "rust", "bash", "csharp"];

    [Fact]
    public async Task Benchmark_OnATinySetting_PrintsTheTableAndWritesEveryFigure()
    {
        var json = Path.Combine(Path.GetTempPath(), $"coderunner-bench-{Guid.NewGuid():N}.json");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var dll = Path.Combine(WebHostProcess.RepositoryRoot(), "CodeRunner.Bench", "bin", configuration, "net10.0", "CodeRunner.Bench.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--quick", "--output", json])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WebHostProcess.RepositoryRoot(),
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(12));
        Assert.True(process.ExitCode == 0, $"the benchmark failed:\n{await stdout}\n{await stderr}");
        Assert.Contains("baseline", await stdout);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var figures = document.RootElement.GetProperty("figures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        string[] expected =
        [
            .. Languages.SelectMany(l => new[] { $"floor_{l}_p50_ms", $"fast_{l}_p50_ms", $"fast_{l}_p95_ms" }),
            "docker_exec_python_p50_ms", "docker_run_python_p50_ms", "network_first_python_p50_ms", "network_next_python_p50_ms",
            "burst4_p50_ms", "burst4_p95_ms", "burst4_max_ms", "throughput_python_rps", "output_2k_lines_ms", "output_2k_server_mb",
            "rss_4_sessions_mb", "classroom_saves", "classroom_runs", "classroom_save_p95_ms", "classroom_roster_p95_ms",
            "classroom_rss_peak_mb", "classroom_rss_end_mb",
            "testrun_c_5_separate_runs_ms", "testrun_c_5_correct_ms", "testrun_c_5_wrong_ms", "testrun_4_submissions_p95_ms",
            "kernel_fast_python_p50_ms", "kernel_cell_p50_ms", "kernel_cell_p95_ms", "kernel_first_output_p50_ms",
            "sql_fast_python_p50_ms", "sql_select1_p50_ms", "sql_select1_p95_ms", "sql_first_run_p50_ms", "sql_first_run_max_ms",
            "ui_first_output_python_p50_ms",
        ];
        Assert.All(expected, name => Assert.True(figures.GetValueOrDefault(name) > 0, $"{name} is missing or not positive"));
        Assert.Equal(0, figures["burst4_failed"]);
        Assert.Equal(0, figures["classroom_failed"]);
        File.Delete(json);
    }
}
