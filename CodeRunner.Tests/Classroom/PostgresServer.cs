using System.Diagnostics;
using Npgsql;

namespace CodeRunner.Tests.Classroom;

/// <summary>
/// The PostgreSQL server that scripts/test starts for the tests (a throwaway cluster, named by CODERUNNER_TEST_POSTGRES).
/// Every test gets a database of its own, dropped afterwards. Without the server these tests fail, never skip: a
/// storage test that did not run against PostgreSQL has not shown that PostgreSQL works.
/// </summary>
public sealed class PostgresServer : ITestDatabases
{
    public const string Variable = "CODERUNNER_TEST_POSTGRES";

    public PostgresServer()
    {
        ConnectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL storage tests have no server. Run them through scripts/test, or " +
                "start a throwaway server first: source scripts/lib/common.sh and scripts/lib/ensure-postgres.sh, call " +
                $"start_test_postgres, and run dotnet test from that shell (it exports {Variable}).");
    }

    public string ConnectionString { get; }

    /// <summary>Where pg_dump and pg_restore of the server's version are.</summary>
    public static string BinFolder =>
        Environment.GetEnvironmentVariable("CODERUNNER_TEST_POSTGRES_BIN") is { Length: > 0 } bin
            ? bin
            : Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => System.IO.Path.Combine(d, "bin")).Last();

    public async Task<TestDatabase> CreateAsync()
    {
        var name = $"coderunner_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new PostgresTestDatabase(this, name);
    }

    internal string For(string database) => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ToString();

    internal async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(For("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one of the server's client tools against it; its output is the exception's message when it fails.</summary>
    internal async Task RunToolAsync(string tool, params string[] arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var start = new ProcessStartInfo(System.IO.Path.Combine(BinFolder, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--host", builder.Host!, "--port", builder.Port.ToString(), "--username", builder.Username ?? "postgres", "--no-password", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

/// <summary>A database of its own on the test server.</summary>
public sealed class PostgresTestDatabase(PostgresServer server, string name) : TestDatabase
{
    public string Name { get; } = name;

    public override string Provider => "Postgres";

    public override Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:CodeRunner"] = server.For(Name),
    };

    /// <summary>pg_dump of the live database, then pg_restore into a new one, as docs/classroom.md says.</summary>
    public override async Task<TestDatabase> BackUpAndRestoreAsync()
    {
        var dump = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"coderunner-{Guid.NewGuid():N}.dump");
        try
        {
            await server.RunToolAsync("pg_dump", "--format=custom", "--file", dump, "--dbname", Name);
            var restored = (PostgresTestDatabase)await server.CreateAsync();
            await server.RunToolAsync("pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored.Name, dump);
            return restored;
        }
        finally
        {
            File.Delete(dump);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
