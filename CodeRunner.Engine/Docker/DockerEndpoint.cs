using System.Net.Sockets;

namespace CodeRunner.Engine.Docker;

/// <summary>Finds a Docker endpoint that answers and negotiates the API version from <c>GET /_ping</c>.</summary>
internal static class DockerEndpoint
{
    /// <summary>The newest API version this engine asks for; older engines get their own version.</summary>
    public static readonly Version MaxApiVersion = new(1, 47);

    private static readonly Version MinApiVersion = new(1, 41);

    public static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
            yield break;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            yield return fromEnvironment;
            yield break;
        }

        yield return "unix:///var/run/docker.sock";
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            yield return $"unix://{runtimeDir}/docker.sock";
        }
    }

    /// <summary>Returns the first endpoint that answers, with the API version to use against it.</summary>
    public static async Task<(Uri Endpoint, Version ApiVersion)> ResolveAsync(string? configured, CancellationToken cancellationToken)
    {
        var failures = new List<(string, string)>();
        foreach (var candidate in Candidates(configured))
        {
            try
            {
                var uri = new Uri(candidate);
                var serverVersion = await PingAsync(uri, cancellationToken).ConfigureAwait(false);
                if (serverVersion < MinApiVersion)
                {
                    failures.Add((candidate, $"API {serverVersion} is older than the {MinApiVersion} this engine needs"));
                    continue;
                }

                return (uri, serverVersion < MaxApiVersion ? serverVersion : MaxApiVersion);
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or UriFormatException
                                           or TaskCanceledException or NotSupportedException or FormatException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                failures.Add((candidate, ex.GetBaseException().Message));
            }
        }

        throw new DockerUnavailableException(failures);
    }

    private static async Task<Version> PingAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var handler = CreateHandler(endpoint, out var baseAddress);
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(new Uri("/_ping", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (!response.Headers.TryGetValues("API-Version", out var values))
        {
            throw new FormatException("the engine sent no API-Version header");
        }

        return Version.Parse(values.First());
    }

    private static SocketsHttpHandler CreateHandler(Uri endpoint, out Uri baseAddress)
    {
        switch (endpoint.Scheme)
        {
            case "unix":
                var path = endpoint.LocalPath;
                baseAddress = new Uri("http://docker");
                return new SocketsHttpHandler
                {
                    ConnectCallback = async (_, ct) =>
                    {
                        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        try
                        {
                            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
            case "tcp" or "http":
                baseAddress = new UriBuilder("http", endpoint.Host, endpoint.Port).Uri;
                return new SocketsHttpHandler();
            default:
                throw new NotSupportedException($"the scheme '{endpoint.Scheme}' is not supported (use unix:// or tcp://)");
        }
    }
}
