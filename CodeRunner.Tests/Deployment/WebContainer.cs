using System.Diagnostics;
using System.Net;

namespace CodeRunner.Tests.Deployment;

/// <summary>
/// The web app's image, built by scripts/build-web-image, run as docs/deploy.md says: the Docker socket mounted, the
/// host's network and pids, NET_ADMIN for network mode's firewall, and its data on a volume; on a free loopback port.
/// Its image, container and volume carry a label of this test run, and disposal removes them: the container is
/// stopped first, so the engine inside removes the containers it made.
/// </summary>
public sealed class WebContainer : IAsyncDisposable
{
    private readonly string _id = Scripts.Suffix();

    private WebContainer(Uri address) => Address = address;

    public Uri Address { get; }

    public string Image => $"coderunner-web-test:{_id}";

    public string Name => $"coderunner-web-test-{_id}";

    public string Volume => $"coderunner-web-test-{_id}";

    private string Label => $"coderunner.test=deployment-{_id}";

    public static async Task<WebContainer> StartAsync(string published)
    {
        var container = new WebContainer(new Uri($"http://127.0.0.1:{Scripts.FreeLoopbackPort()}"));
        try
        {
            await container.BuildAndStartAsync(published);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAndStartAsync(string published)
    {
        var clock = Stopwatch.StartNew();
        (await Scripts.ScriptAsync("build-web-image", TimeSpan.FromMinutes(10), "--tag", Image, "--published", published, "--label", Label))
            .EnsureSuccess("scripts/build-web-image");
        Console.WriteLine($"Deployment: scripts/build-web-image took {clock.Elapsed.TotalSeconds:0} s");

        (await DockerAsync("volume", "create", "--label", Label, Volume)).EnsureSuccess("docker volume create");
        (await DockerAsync("run", "-d", "--name", Name, "--label", Label,
            "--network", "host", "--pid", "host", "--cap-add", "NET_ADMIN",
            "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", $"{Volume}:/var/lib/coderunner",
            "-e", $"ASPNETCORE_URLS={Address.ToString().TrimEnd('/')}",
            "-e", "Engine__PoolSize=1", "-e", "Engine__NetworkKits=0",
            Image)).EnsureSuccess("docker run");

        clock.Restart();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine($"Deployment: the web container was ready after {clock.Elapsed.TotalSeconds:0} s");
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The web container did not become ready at {Address}readyz within 3 minutes:\n{await LogsAsync()}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>The container's output: what the app printed.</summary>
    public async Task<string> LogsAsync() => (await DockerAsync("logs", "--tail", "200", Name)).Output;

    private static Task<Scripts.Result> DockerAsync(params string[] arguments) => Scripts.RunAsync("docker", arguments, TimeSpan.FromMinutes(2));

    public async ValueTask DisposeAsync()
    {
        // Stopped with time to spare, so the engine inside removes its pools and networks; then everything labelled ours.
        await DockerAsync("stop", "-t", "60", Name);
        await DockerAsync("rm", "-f", "-v", Name);
        await DockerAsync("volume", "rm", "-f", Volume);
        await DockerAsync("rmi", "-f", Image);
    }
}
