using System.Security.Cryptography;
using System.Text;
using CodeRunner.Classroom.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Classroom;

/// <summary>The first teacher account, from the <c>Teacher</c> configuration section.</summary>
public sealed class TeacherSetupOptions
{
    public const string SectionName = "Teacher";

    /// <summary>With <see cref="InitialPassword"/>: the first teacher, made at start-up when no teacher exists yet.</summary>
    public string? InitialUser { get; set; }

    public string? InitialPassword { get; set; }
}

/// <summary>Fails start-up with a sentence naming the key when only one of the two is set, or the password is too short.</summary>
public sealed class TeacherSetupOptionsValidator : IValidateOptions<TeacherSetupOptions>
{
    public ValidateOptionsResult Validate(string? name, TeacherSetupOptions options)
    {
        var user = !string.IsNullOrWhiteSpace(options.InitialUser);
        var password = !string.IsNullOrEmpty(options.InitialPassword);
        if (user != password)
        {
            return ValidateOptionsResult.Fail("Teacher:InitialUser and Teacher:InitialPassword go together: set both, or neither.");
        }

        return password && options.InitialPassword!.Length < 8
            ? ValidateOptionsResult.Fail("Teacher:InitialPassword must be at least 8 characters.")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Makes sure the server can have its first teacher, and that nobody else claims it first: from the configuration
/// when it names one, otherwise through a one-time link printed when the server starts. The link carries a random
/// token that only someone who can read the server's output has; it works until the first account is made.
/// </summary>
public sealed class TeacherSetup(
    IServiceScopeFactory scopes,
    IOptions<TeacherSetupOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<TeacherSetup> logger) : IHostedService
{
    private byte[]? _tokenHash;

    /// <summary>True while the server has no teacher and a setup link is open.</summary>
    public bool Open => Volatile.Read(ref _tokenHash) is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Teacher>>();
        if (await users.Users.AnyAsync(cancellationToken))
        {
            await KeepAnAdministratorAsync(users, cancellationToken);
            return;
        }

        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.InitialUser))
        {
            var first = new Teacher { UserName = settings.InitialUser.Trim(), CreatedAt = DateTimeOffset.UtcNow };
            var result = await users.CreateAsync(first, settings.InitialPassword!);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Teacher:InitialUser could not be made: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            await MakeAdministratorAsync(users, first);

            Log.InitialTeacherCreated(logger, settings.InitialUser.Trim());
            return;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        Volatile.Write(ref _tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        lifetime.ApplicationStarted.Register(() => Announce(token));
    }

    /// <summary>The first teacher is the server's administrator (the admin page at /admin): the claim goes with the account.</summary>
    public static async Task MakeAdministratorAsync(UserManager<Teacher> users, Teacher teacher)
    {
        var result = await users.AddClaimAsync(teacher, new System.Security.Claims.Claim(StudentAuthentication.AdministratorClaim, "true"));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{teacher.UserName} could not be made the administrator: " +
                string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>A server whose teachers were made before administrators existed makes its first teacher the administrator.</summary>
    private async Task KeepAnAdministratorAsync(UserManager<Teacher> users, CancellationToken cancellationToken)
    {
        var claim = new System.Security.Claims.Claim(StudentAuthentication.AdministratorClaim, "true");
        if ((await users.GetUsersForClaimAsync(claim)).Count > 0)
        {
            return;
        }

        var first = await users.Users.OrderBy(t => t.CreatedAt).ThenBy(t => t.UserName).FirstAsync(cancellationToken);
        await MakeAdministratorAsync(users, first);
        Log.AdministratorAppointed(logger, first.UserName ?? first.Id);
    }

    /// <summary>True when <paramref name="token"/> is the open link's token (compared in constant time).</summary>
    public bool Accepts(string? token) =>
        Volatile.Read(ref _tokenHash) is { } hash && token is not null
        && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The first account is made: the link stops working.</summary>
    public void Close() => Volatile.Write(ref _tokenHash, null);

    private void Announce(string token)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? "http://localhost:5000";
        address = address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
        var link = $"{address.TrimEnd('/')}/setup?token={token}";

        // Printed, not logged: a log shipped elsewhere must not carry the link, and whoever runs the server must see it.
        Console.WriteLine();
        Console.WriteLine("No teacher account exists yet. Open this one-time link to make the first one:");
        Console.WriteLine("  " + link);
        Console.WriteLine("(or set Teacher:InitialUser and Teacher:InitialPassword). Another machine uses this server's address instead of localhost.");
        Console.WriteLine();
        Log.SetupLinkPrinted(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
