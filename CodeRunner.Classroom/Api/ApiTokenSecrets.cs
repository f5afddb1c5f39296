using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CodeRunner.Classroom.Api;

/// <summary>How token secrets are made and hashed: 32 random bytes, base64url, after a prefix that says what they are.</summary>
public static class ApiTokenSecrets
{
    /// <summary>Marks a CodeRunner token, so that a secret scanner or a person who finds one knows what it is.</summary>
    public const string Prefix = "crt_";

    public const int RandomBytes = 32;

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>The SHA-256 of the whole token as lower-case hex: what the database keeps and looks up.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a string can be a token at all, before any hashing or lookup.</summary>
    public static bool LooksLikeToken(string? presented) =>
        presented is { Length: > 4 and <= 256 } && presented.StartsWith(Prefix, StringComparison.Ordinal);
}
