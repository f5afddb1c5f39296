using System.Net;
using Docker.DotNet;

namespace CodeRunner.Engine.Docker;

/// <summary>Images through Docker.DotNet.</summary>
internal sealed class ImageOperations(DockerClientProvider docker) : IImageOperations
{
    public async Task<IReadOnlyDictionary<string, string>?> GetLabelsAsync(string image, CancellationToken cancellationToken = default) =>
        (await InspectAsync(image, cancellationToken).ConfigureAwait(false))?.Labels;

    public async Task<ImageFacts?> InspectAsync(string image, CancellationToken cancellationToken = default)
    {
        var client = await docker.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inspected = await DockerCall.Run(() => client.Images.InspectImageAsync(image, cancellationToken)).ConfigureAwait(false);
            return new ImageFacts(new DateTimeOffset((inspected.Created ?? DateTime.UnixEpoch).ToUniversalTime(), TimeSpan.Zero), inspected.Size,
                (inspected.Config?.Labels ?? new Dictionary<string, string>()).AsReadOnly());
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
