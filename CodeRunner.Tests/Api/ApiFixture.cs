using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CodeRunner.Classroom.Api;
using CodeRunner.Classroom.Model;
using CodeRunner.Tests.Classroom;
using CodeRunner.Tests.EndToEnd;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Api;

/// <summary>
/// The web host on the real engine (started as scripts/run starts it, by <see cref="WebHostProcess"/>) with a first
/// teacher, and the classroom on the same SQLite file beside it, through which the tests make and revoke that
/// teacher's tokens as the token page does. It fails loudly when Docker or an image is missing.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string TeacherUser = "api-teacher";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("coderunner-api-");
    private ClassroomHost? _classroom;

    public WebHostProcess Host { get; private set; } = default!;

    public string DatabasePath => Path.Combine(_data.FullName, "coderunner.db");

    public IApiTokens Tokens => _classroom!.Services.GetRequiredService<IApiTokens>();

    public string TeacherId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await WebHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Engine__PoolSize"] = "1",
            ["Engine__NetworkKits"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Database__Path"] = DatabasePath,
            ["Teacher__InitialUser"] = TeacherUser,
            ["Teacher__InitialPassword"] = "a-long-test-password",
            ["Api__MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _classroom = await ClassroomHost.StartAsync(new Dictionary<string, string?> { ["Database:Path"] = DatabasePath },
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var db = await _classroom.DbAsync();
        TeacherId = (await db.Users.SingleAsync(u => u.UserName == TeacherUser)).Id;
    }

    /// <summary>The API's request limit in this host: small, so that the 413 test sends little.</summary>
    public const long MaxRequestBytes = 256 * 1024;

    /// <summary>A new token of the host's teacher (or of another teacher), and a client that sends it.</summary>
    public async Task<(HttpClient Http, NewApiToken Token)> ClientAsync(int? requestsPerMinute = 1000, string? teacherId = null)
    {
        var token = await Tokens.CreateAsync(teacherId ?? TeacherId, "tests", requestsPerMinute);
        var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return (http, token);
    }

    public HttpClient Anonymous() => new() { BaseAddress = Host.Address, Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>Another teacher of the same server, for tests of what one teacher may not see of another's.</summary>
    public async Task<string> AddTeacherAsync()
    {
        await using var db = await _classroom!.DbAsync();
        var teacher = new Teacher { UserName = $"other-{Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow };
        db.Users.Add(teacher);
        await db.SaveChangesAsync();
        return teacher.Id;
    }

    /// <summary>The stored row of a token, as the database holds it.</summary>
    public async Task<ApiToken> RowAsync(Guid id)
    {
        await using var db = await _classroom!.DbAsync();
        return await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Not JSON ({(int)response.StatusCode}): {text}");
        }
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body) => http.PostAsJsonAsync(path, body);

    public async Task DisposeAsync()
    {
        if (_classroom is not null)
        {
            await _classroom.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
