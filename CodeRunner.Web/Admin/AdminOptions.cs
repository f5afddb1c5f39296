using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Admin;

/// <summary>
/// The admin and diagnostic surface (<c>/admin/*</c>). It is off unless <c>Admin:Key</c> holds a long random key; every
/// request must then carry <c>Authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public const int MinimumKeyLength = 32;

    public string? Key { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Key);
}

/// <summary>Refuses short keys and well-known placeholders, so that no deployment runs with a default key.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    private static readonly string[] Placeholders = ["changeme", "change-me", "admin", "password", "secret", "default", "key", "test", "example"];

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var key = options.Key!;
        if (key.Length < AdminOptions.MinimumKeyLength)
        {
            return ValidateOptionsResult.Fail(
                $"{AdminOptions.SectionName}:Key must be at least {AdminOptions.MinimumKeyLength} characters (make one with: openssl rand -hex 32), or empty to turn the admin surface off.");
        }

        return Placeholders.Any(p => key.Contains(p, StringComparison.OrdinalIgnoreCase)) || key.Distinct().Count() < 8
            ? ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:Key looks like a placeholder; use a random key (openssl rand -hex 32).")
            : ValidateOptionsResult.Success;
    }
}
