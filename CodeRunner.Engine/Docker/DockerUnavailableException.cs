namespace CodeRunner.Engine.Docker;

/// <summary>No Docker engine answered; the message lists every endpoint tried and why each failed.</summary>
public sealed class DockerUnavailableException : Exception
{
    public DockerUnavailableException(IReadOnlyList<(string Endpoint, string Failure)> attempts)
        : base(Describe(attempts))
    {
        Attempts = attempts;
    }

    public DockerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Attempts = [];
    }

    public IReadOnlyList<(string Endpoint, string Failure)> Attempts { get; }

    private static string Describe(IReadOnlyList<(string Endpoint, string Failure)> attempts) =>
        "No Docker engine answered. Tried: "
        + string.Join("; ", attempts.Select(a => $"{a.Endpoint} ({a.Failure})"))
        + ". Start Docker (scripts/run and scripts/test do it on Debian or Ubuntu), or set DOCKER_HOST.";
}

/// <summary>A network could not be made on a subnet because something else uses it.</summary>
public sealed class SubnetInUseException(string subnet, Exception innerException)
    : Exception($"The subnet {subnet} is already in use.", innerException)
{
    public string Subnet { get; } = subnet;
}
