namespace CodeRunner.Bench;

/// <summary>A process's resident memory (VmRSS), sampled every 250 ms: the peak while sampling, and the last sample.</summary>
internal sealed class ResidentMemory : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly int _processId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _peak;
    private double _last;

    private ResidentMemory(int processId)
    {
        _processId = processId;
        _sampling = SampleAsync();
    }

    public static ResidentMemory Sample(int processId) => new(processId);

    /// <summary>In megabytes, from /proc.</summary>
    public static double Megabytes(int processId) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();

    /// <summary>Takes a last sample and stops: the peak while sampling, and that last sample.</summary>
    public async Task<(double PeakMb, double EndMb)> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Take();
        return (_peak, _last);
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Take();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (IOException)
        {
            // The process is gone: what was sampled stands, and whoever waits for the process says why.
        }
    }

    private void Take()
    {
        _last = Megabytes(_processId);
        _peak = Math.Max(_peak, _last);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
