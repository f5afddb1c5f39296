using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Api;

/// <inheritdoc cref="IApiTokens"/>
internal sealed class ApiTokens(IDbContextFactory<ClassroomDb> factory, TimeProvider time, ILogger<ApiTokens> logger) : IApiTokens
{
    private const int MaxNameLength = ApiTokenRules.MaxNameLength;
    private const int MaxRequestsPerMinute = ApiTokenRules.MaxRequestsPerMinute;

    /// <summary>Last use is written at most this often per token, so that a busy token does not write on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<NewApiToken> CreateAsync(string teacherId, string name, int? requestsPerMinute = null,
        CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ClassroomException($"A token needs a name of 1 to {MaxNameLength} characters, such as the tool that will use it.");
        }

        var limit = requestsPerMinute ?? ApiTokenRules.DefaultRequestsPerMinute;
        if (limit is < 1 or > MaxRequestsPerMinute)
        {
            throw new ClassroomException($"A token's rate limit is 1 to {MaxRequestsPerMinute} requests a minute; {limit} is out of range.");
        }

        var secret = ApiTokenSecrets.New();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            TeacherId = teacherId,
            Name = name,
            Hash = ApiTokenSecrets.Hash(secret),
            RequestsPerMinute = limit,
            CreatedAt = time.Now(),
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        Log.ApiTokenCreated(logger, teacherId, token.Id, limit);
        return new NewApiToken(Summary(token), secret);
    }

    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(string teacherId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.TeacherId == teacherId).ToListAsync(cancellationToken);
        return [.. tokens.OrderByDescending(t => t.CreatedAt).Select(Summary)];
    }

    public async Task RevokeAsync(string teacherId, Guid tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.TeacherId == teacherId, cancellationToken)
                    ?? throw new ClassroomAccessException();
        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.Now();
            await db.SaveChangesAsync(cancellationToken);
            Log.ApiTokenRevoked(logger, teacherId, token.Id);
        }
    }

    public async Task<ApiTokenCheck> CheckAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenSecrets.LooksLikeToken(presented))
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Unknown);
        }

        var hash = ApiTokenSecrets.Hash(presented);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (token is null)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Unknown);
        }

        if (token.RevokedAt is not null)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Revoked);
        }

        var now = time.Now();
        if (token.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new ApiTokenCheck(new ApiTokenIdentity(token.Id, token.TeacherId, token.Name, token.RequestsPerMinute), null);
    }

    private static ApiTokenSummary Summary(ApiToken t) => new(t.Id, t.Name, t.RequestsPerMinute, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}
