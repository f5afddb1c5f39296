using System.Diagnostics;
using CodeRunner.Bench;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>), for the classroom benchmark only: loaded into the real web host
/// before its Main runs, it adds <see cref="ClassroomLoad"/> to the host that the web project's Program builds. It
/// does so through the hosting DiagnosticListener's "HostBuilding" event, the way WebApplicationFactory reaches a
/// Program's host. The runtime looks for exactly this name, outside any namespace.
/// </summary>
internal static class StartupHook
{
    private static IDisposable? _listening;

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(ClassroomExchange.FolderVariable) is not null)
        {
            _listening = DiagnosticListener.AllListeners.Subscribe(new Listeners());
        }
    }

    private sealed class Listeners : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(new HostEvents());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class HostEvents : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: "HostBuilding", Value: IHostBuilder builder })
            {
                // Registered after the web server's own service: it starts once the server listens, and stops first.
                builder.ConfigureServices(services => services.AddHostedService<ClassroomLoad>());
                _listening?.Dispose();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
