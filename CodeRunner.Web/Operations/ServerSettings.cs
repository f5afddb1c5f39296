using System.Text.Json;
using System.Text.Json.Serialization;
using CodeRunner.Classroom.Storage;
using CodeRunner.Engine;
using CodeRunner.Web.Admin;
using CodeRunner.Web.Workspace;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Operations;

/// <summary>
/// The settings in effect, for the admin page: what the configuration (files, environment, command line) resolved to.
/// Secrets never appear: the database connection string and the admin key are only said to be set or not.
/// </summary>
public sealed class ServerSettings(
    IOptions<EngineOptions> engine,
    IOptions<DatabaseOptions> database,
    IOptions<WorkspaceOptions> workspace,
    IOptions<AdminOptions> admin,
    IConfiguration configuration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Each section's settings as indented JSON, by section name.</summary>
    public IReadOnlyList<(string Section, string Json)> Sections() =>
    [
        (EngineOptions.SectionName, JsonSerializer.Serialize(engine.Value, Json)),
        (DatabaseOptions.SectionName, JsonSerializer.Serialize(new
        {
            database.Value.Provider,
            database.Value.Path,
            ConnectionString = string.IsNullOrEmpty(database.Value.ConnectionString) ? "(not set)" : "(set, not shown)",
            database.Value.BusyTimeoutSeconds,
        }, Json)),
        (CodeRunner.Classroom.Projects.ProjectLimits.SectionName, JsonSerializer.Serialize(workspace.Value, Json)),
        ("Circuit", JsonSerializer.Serialize(new
        {
            RetentionSeconds = configuration.GetValue("Circuit:RetentionSeconds", Sessions.CircuitSession.DefaultRetentionSeconds),
        }, Json)),
        (AdminOptions.SectionName, JsonSerializer.Serialize(new { Key = admin.Value.Enabled ? "(set, not shown)" : "(not set: /admin/status is off)" }, Json)),
    ];
}
