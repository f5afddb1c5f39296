namespace CodeRunner.Classroom.Api;

/// <summary>What a token may be: its name's length and its rate limit.</summary>
public static class ApiTokenRules
{
    public const int MaxNameLength = 80;

    /// <summary>One request a second on average: plenty for a judge or a plugin, little for a script gone wrong.</summary>
    public const int DefaultRequestsPerMinute = 60;

    public const int MaxRequestsPerMinute = 6000;
}

/// <summary>A token as the teacher's page lists it: never its secret, which is shown once when it is made.</summary>
public sealed record ApiTokenSummary(Guid Id, string Name, int RequestsPerMinute, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>A token just made: its summary and the secret, which is not kept anywhere and cannot be shown again.</summary>
public sealed record NewApiToken(ApiTokenSummary Token, string Secret);

/// <summary>Whom a presented token stands for, and its rate limit.</summary>
public sealed record ApiTokenIdentity(Guid TokenId, string TeacherId, string Name, int RequestsPerMinute);

/// <summary>Why a presented token was refused, or null when it was accepted.</summary>
public enum ApiTokenRefusal
{
    Unknown,
    Revoked,
}

/// <summary>What checking a presented token found: the identity, or why it was refused.</summary>
public sealed record ApiTokenCheck(ApiTokenIdentity? Identity, ApiTokenRefusal? Refusal);

/// <summary>Teachers' API tokens: made, listed and revoked by their teacher, and checked for each API request.</summary>
public interface IApiTokens
{
    /// <summary>Makes a token for the teacher; the result holds its secret, which no one can read again.</summary>
    /// <exception cref="ClassroomException">The name is empty or too long, or the rate limit is out of range.</exception>
    Task<NewApiToken> CreateAsync(string teacherId, string name, int? requestsPerMinute = null, CancellationToken cancellationToken = default);

    /// <summary>The teacher's tokens, newest first, revoked ones included.</summary>
    Task<IReadOnlyList<ApiTokenSummary>> ListAsync(string teacherId, CancellationToken cancellationToken = default);

    /// <summary>Revokes one of the teacher's tokens: from then on every request with it gets 401.</summary>
    /// <exception cref="ClassroomAccessException">The token is not the teacher's.</exception>
    Task RevokeAsync(string teacherId, Guid tokenId, CancellationToken cancellationToken = default);

    /// <summary>Checks a presented token (the whole <c>crt_…</c> string) and notes that it was used.</summary>
    Task<ApiTokenCheck> CheckAsync(string presented, CancellationToken cancellationToken = default);
}
