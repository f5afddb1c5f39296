using System.Net.Sockets;

namespace CodeRunner.Engine.Docker;

/// <summary>Turns a transport failure in the middle of a Docker call into a <see cref="DockerUnavailableException"/>.</summary>
internal static class DockerCall
{
    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw new DockerUnavailableException($"The Docker engine stopped answering: {ex.GetBaseException().Message}", ex);
        }
    }

    public static async Task Run(Func<Task> call) => await Run(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    public static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or SocketException or IOException
        || ex.InnerException is HttpRequestException or SocketException or IOException;
}
