using System.Security.Cryptography;
using System.Text;

namespace CodeRunner.Classroom.Classes;

/// <summary>Join codes: eight characters that a student can read off a board and type without mixing up look-alikes.</summary>
public static class JoinCodes
{
    /// <summary>Upper-case letters and digits without 0, O, 1, I and L, which are easily taken for one another.</summary>
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public const int Length = 8;

    /// <summary>A new random code (31^8, about 850 billion codes, so guessing one is hopeless).</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as stored, from what a student typed: any case, spaces and dashes ignored.</summary>
    public static string Normalize(string typed)
    {
        var code = new StringBuilder(Length);
        foreach (var c in typed)
        {
            if (!char.IsWhiteSpace(c) && c != '-')
            {
                code.Append(char.ToUpperInvariant(c));
            }
        }

        return code.ToString();
    }

    /// <summary>Whether the normalized <paramref name="code"/> could be a join code at all.</summary>
    public static bool IsWellFormed(string code) => code.Length == Length && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
