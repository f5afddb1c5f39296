using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine.Docker;

/// <summary>Owns the one <see cref="DockerClient"/>, connecting on first use and again after a failed attempt.</summary>
internal sealed class DockerClientProvider(IOptions<EngineOptions> options, ILogger<DockerClientProvider> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DockerClient? _client;

    public async ValueTask<DockerClient> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _client) is { } existing)
        {
            return existing;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                var (endpoint, version) = await DockerEndpoint.ResolveAsync(options.Value.DockerEndpoint, cancellationToken)
                    .ConfigureAwait(false);
                _client = new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(version).Build();
                Log.DockerConnected(logger, endpoint.ToString(), version.ToString());
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
