using System.Net;
using CodeRunner.Web.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Deployment;

/// <summary>Behind a proxy on this machine, or a listed one, the app sees the client's address and scheme.</summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task FromALoopbackProxy_TheClientsAddressAndSchemeAreUsed()
    {
        await using var app = await StartAsync([]);
        Assert.Equal("https 203.0.113.7", await AskAsync(app, "203.0.113.7", "https"));
    }

    [Fact]
    public async Task WithAListedProxy_ALoopbackProxyIsStillTrusted()
    {
        await using var app = await StartAsync(["192.0.2.1"]);
        Assert.Equal("https 198.51.100.9", await AskAsync(app, "198.51.100.9", "https"));
    }

    [Fact]
    public void AKnownProxyThatIsNotAnAddress_FailsStartUp_NamingTheKey()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration[ForwardedHeadersSetup.KnownProxiesKey + ":0"] = "proxy.school.example";
        var app = builder.Build();
        var error = Assert.Throws<OptionsValidationException>(() => app.UseCodeRunnerForwardedHeaders());
        Assert.Contains(ForwardedHeadersSetup.KnownProxiesKey, error.Message);
    }

    private static async Task<WebApplication> StartAsync(string[] knownProxies)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Scripts.FreeLoopbackPort()}");
        for (var i = 0; i < knownProxies.Length; i++)
        {
            builder.Configuration[$"{ForwardedHeadersSetup.KnownProxiesKey}:{i}"] = knownProxies[i];
        }

        var app = builder.Build();
        app.UseCodeRunnerForwardedHeaders();
        app.MapGet("/", (HttpContext context) => $"{context.Request.Scheme} {context.Connection.RemoteIpAddress}");
        await app.StartAsync();
        return app;
    }

    private static async Task<string> AskAsync(WebApplication app, string forwardedFor, string forwardedProto)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await (await http.SendAsync(request)).Content.ReadAsStringAsync();
    }
}
