namespace CodeRunner.Engine.Notebooks;

/// <summary>What a notebook kernel may use, bound from <c>Engine:Kernels</c>.</summary>
public sealed class KernelOptions
{
    /// <summary>A kernel with no cell for this long is shut down; the next cell starts a new one.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A cell running longer than this is interrupted (a <c>KeyboardInterrupt</c>, which it may catch); the kernel lives on.</summary>
    public TimeSpan CellTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most notebooks one session (a browser tab) may have open with a kernel at once: each holds a container.</summary>
    public int MaxPerSession { get; set; } = 3;

    /// <summary>Most kernels on the server at once, over every session; each holds a container outside the pools.</summary>
    public int MaxKernels { get; set; } = 60;
}
