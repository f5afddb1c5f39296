using CodeRunner.Classroom.Model;
using Microsoft.AspNetCore.Identity;

namespace CodeRunner.Classroom.Accounts;

/// <summary>Students' PINs: 4 to 8 digits, kept only as ASP.NET Core Identity's salted hash.</summary>
internal static class Pins
{
    public const string Rule = "A PIN is 4 to 8 digits.";

    private static readonly PasswordHasher<Student> Hasher = new();

    public static bool IsValid(string? pin) => pin is { Length: >= 4 and <= 8 } && pin.All(char.IsAsciiDigit);

    public static string Hash(Student student, string pin) => Hasher.HashPassword(student, pin);

    /// <summary>Whether the PIN is the student's; <paramref name="rehashed"/> is a stronger hash to store, when Identity wants one.</summary>
    public static bool Verify(Student student, string pin, out string? rehashed)
    {
        var result = Hasher.VerifyHashedPassword(student, student.PinHash, pin);
        rehashed = result == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(student, pin) : null;
        return result != PasswordVerificationResult.Failed;
    }
}
