using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CodeRunner.Tests.EndToEnd;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Hosting;

/// <summary>
/// What a school's monitoring reads, from the real web host against the real Docker engine: <c>/healthz</c>,
/// <c>/readyz</c> with a line per check, and who may read <c>/metrics</c>.
/// </summary>
public sealed class OperationsTests
{
    private static readonly string Key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Readyz_TurnsUnhealthyWhenDockerStops_AndHealthyAgainWhenItReturns()
    {
        // The engine talks to Docker through a socket this test can take away: to the engine, Docker stops and starts.
        await using var docker = DockerSocketProxy.Start();
        await using var host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Engine__DockerEndpoint"] = docker.Endpoint,
            ["Engine__PoolSize"] = "1",
            ["Engine__NetworkKits"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient { BaseAddress = host.Address };

        var ready = await WaitForReadinessAsync(http, HttpStatusCode.OK, "the pools warm");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal(["docker", "pools", "database", "firewall"], Checks(ready).Select(c => c.Name));
        Assert.All(Checks(ready), c => Assert.Equal("Healthy", c.Status));
        var pools = ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "pools").GetProperty("data");
        Assert.StartsWith("warm", pools.GetProperty("python").GetString());

        docker.Close();
        // The pools may notice first (their containers' streams are cut): wait for the docker check itself.
        var down = await WaitForReadinessAsync(http, HttpStatusCode.ServiceUnavailable, "the engine to notice Docker is gone",
            report => Checks(report).Single(c => c.Name == "docker").Status == "Unhealthy");
        Assert.Equal("Unhealthy", down.GetProperty("status").GetString());
        var dockerCheck = Checks(down).Single(c => c.Name == "docker");
        Assert.Equal("Unhealthy", dockerCheck.Status);
        Assert.Contains("Docker", dockerCheck.Description);
        Assert.Equal("Healthy", Checks(down).Single(c => c.Name == "database").Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode); // alive all the same: a restart would not help

        docker.Open();
        var back = await WaitForReadinessAsync(http, HttpStatusCode.OK, "the engine to reconnect and warm its pools again");
        Assert.All(Checks(back), c => Assert.Equal("Healthy", c.Status));
    }

    [Fact]
    public async Task Metrics_AreForLocalhost_OrForTheAdminKey()
    {
        await using var host = await WebHostProcess.StartAsync(Settings(Key));
        using var http = new HttpClient { BaseAddress = host.Address };

        var local = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Contains("coderunner_sessions", await local.Content.ReadAsStringAsync());

        // Behind a reverse proxy on the same machine every request comes from loopback: the forwarding header tells.
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "192.0.2.10" } } };
        var refused = await http.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Admin:Key", await refused.Content.ReadAsStringAsync());

        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "192.0.2.10" } } };
        withKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withKey)).StatusCode);
    }

    [Fact]
    public async Task Metrics_WithoutAnAdminKey_AreForLocalhostOnly()
    {
        await using var host = await WebHostProcess.StartAsync(Settings(null));
        using var http = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);

        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Forwarded", "for=192.0.2.10" } } };
        forwarded.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var refused = await http.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("localhost only", await refused.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Settings(string? key) => new()
    {
        ["Engine__PoolSize"] = "0",
        ["Engine__NetworkKits"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Admin__Key"] = key ?? "",
    };

    private static IEnumerable<(string Name, string Status, string Description)> Checks(JsonElement report) =>
        report.GetProperty("checks").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("description").GetString() ?? ""));

    /// <summary>Polls <c>/readyz</c> as a monitor would until it answers <paramref name="status"/> (and <paramref name="also"/> holds); returns its report.</summary>
    private static async Task<JsonElement> WaitForReadinessAsync(HttpClient http, HttpStatusCode status, string what,
        Func<JsonElement, bool>? also = null)
    {
        // Generous: after Docker returns, every pool is made again, on a machine that other tests keep busy.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("/readyz");
            last = await response.Content.ReadAsStringAsync();
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            var report = JsonDocument.Parse(last).RootElement.Clone();
            if (response.StatusCode == status && (also is null || also(report)))
            {
                return report;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"/readyz did not answer {(int)status} while waiting for {what}; its last answer:\n{last}");
    }
}
