using Microsoft.Extensions.Options;
using Npgsql;

namespace CodeRunner.Classroom.Storage;

/// <summary>Where the classroom's data lives: bound from the <c>Database</c> section and <c>ConnectionStrings:CodeRunner</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "CodeRunner";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (a file on this server, the default) or <c>Postgres</c> (<c>ConnectionStrings:CodeRunner</c>).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The SQLite file; a relative path is taken from the app's content root (its working folder).</summary>
    public string Path { get; set; } = ".coderunner/data/coderunner.db";

    /// <summary>How long a write waits for another one to finish before it fails (SQLite's busy timeout).</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;

    /// <summary>Bound from <c>ConnectionStrings:CodeRunner</c>; used only with <c>Postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    internal bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Fails start-up with a sentence naming the wrong key. Never repeats a connection string, which may hold a password.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        const string S = DatabaseOptions.SectionName;
        const string C = "ConnectionStrings:" + DatabaseOptions.ConnectionStringName;
        var errors = new List<string>();
        if (!string.Equals(options.Provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsPostgres)
        {
            errors.Add($"{S}:Provider must be {DatabaseOptions.Sqlite} or {DatabaseOptions.Postgres} (it is '{options.Provider}').");
        }
        else if (options.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                errors.Add($"{C} must be set when {S}:Provider is {DatabaseOptions.Postgres}, for example Host=db.school.example;Database=coderunner;Username=coderunner;Password=….");
            }
            else if (ConnectionStringProblem(options.ConnectionString) is { } problem)
            {
                errors.Add($"{C} is not a valid PostgreSQL connection string: {problem}");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{S}:Path must name the SQLite file, such as .coderunner/data/coderunner.db.");
        }

        if (options.BusyTimeoutSeconds is < 1 or > 600)
        {
            errors.Add($"{S}:BusyTimeoutSeconds must be between 1 and 600 (it is {options.BusyTimeoutSeconds}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host) ? "it names no Host." : null;
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message names the keyword it did not understand, never a value.
            return ex.Message;
        }
    }
}
