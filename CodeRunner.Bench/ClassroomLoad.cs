using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace CodeRunner.Bench;

/// <summary>
/// The class of the classroom benchmark, inside the web host (added by <see cref="StartupHook"/>): waits for the
/// benchmark's order, joins the students four at a time, lets them work, reports, and keeps them online until the host
/// stops, when their pages close.
/// </summary>
internal sealed class ClassroomLoad(IServiceProvider services) : BackgroundService
{
    public static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RunEvery = TimeSpan.FromSeconds(10);

    /// <summary>A pause after the last run's verdict, for saves still due (the store saves 300 ms after a change).</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Environment.GetEnvironmentVariable(ClassroomExchange.FolderVariable) is not { } folder)
        {
            return;
        }

        var exchange = new ClassroomExchange(folder);
        var tally = new ClassroomTally();
        var students = new List<ClassroomStudent>();
        try
        {
            await exchange.ReadyAsync();
            var order = await exchange.WaitForOrderAsync(stoppingToken);
            foreach (var group in Enumerable.Range(1, order.Students).Chunk(4))
            {
                students.AddRange(await Task.WhenAll(group.Select(n => ClassroomStudent.JoinAsync(services, order.JoinCode, n, tally, stoppingToken))));
            }

            // Spread over each period, so that the class saves and runs at a steady rate rather than all at once.
            var count = students.Count;
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(students.Select((student, i) => student.WorkAsync(start, TimeSpan.FromSeconds(order.Seconds),
                (SaveEvery, SaveEvery * i / count), (RunEvery, RunEvery * (i + 0.5) / count), stoppingToken)));
            await Task.Delay(Drain, stoppingToken);
            await exchange.ReportAsync(tally.Results());
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: the benchmark has what it needs, or was interrupted.
        }
        catch (Exception ex)
        {
            await exchange.FailAsync(ex);
        }
        finally
        {
            foreach (var student in students)
            {
                await student.DisposeAsync();
            }
        }
    }
}
