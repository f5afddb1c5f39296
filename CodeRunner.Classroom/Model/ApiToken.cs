namespace CodeRunner.Classroom.Model;

/// <summary>A teacher's token for the HTTP API: only the SHA-256 hash of the secret is kept, never the secret itself.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string TeacherId { get; set; }
    public required string Name { get; set; }

    /// <summary>The SHA-256 hash of the whole token (<c>crt_…</c>), as 64 lower-case hex digits; unique.</summary>
    public required string Hash { get; set; }

    /// <summary>How many requests a minute the token may make; past that the API answers 429.</summary>
    public int RequestsPerMinute { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When the teacher revoked it; a revoked token is refused, and kept so that the teacher sees it was.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
