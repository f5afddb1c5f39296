using System.Runtime.CompilerServices;
using Bunit;

namespace CodeRunner.Tests.Web;

/// <summary>
/// Once for the test assembly: the component tests share the machine with Docker runs, browsers and web hosts that
/// earlier tests leave winding down, so a 1 s wait for a render can pass before the renderer's dispatcher gets a
/// thread (CI saw "the wait condition was never checked"). A longer wait and a larger thread-pool floor change only
/// how long a failing test takes to say so.
/// </summary>
internal static class BunitSetup
{
    [ModuleInitializer]
    internal static void Configure()
    {
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 4), io);
    }
}
