using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Operations;

/// <summary>
/// Behind nginx or Caddy: the client's address and the scheme (https) come from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, trusted only from a proxy on this machine (loopback) or one listed in
/// <c>ForwardedHeaders:KnownProxies</c>. Without it the app sees every request as plain http from the proxy: sign-in
/// cookies are not marked Secure, redirects name http://, and logs show the proxy's address for every student.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";

    /// <summary>Call first after <c>builder.Build()</c>, before anything that reads the scheme or the client's address.</summary>
    public static WebApplication UseCodeRunnerForwardedHeaders(this WebApplication app)
    {
        var options = new ForwardedHeadersOptions
        {
            // Not X-Forwarded-Host: the proxy passes the Host header itself, and a forwarded host could be forged.
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        foreach (var proxy in app.Configuration.GetSection(KnownProxiesKey).Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var address)
                ? address
                : throw new OptionsValidationException(KnownProxiesKey, typeof(string[]),
                    [$"{KnownProxiesKey} must list IP addresses of the proxies in front of CodeRunner, such as 10.0.0.5 ('{proxy}' is not one)."]));
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
