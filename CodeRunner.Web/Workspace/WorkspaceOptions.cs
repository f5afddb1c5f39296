using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Workspace;

/// <summary>Limits of a student's project, bound from the <c>Workspace</c> configuration section.</summary>
/// <remarks>
/// The project lives in the browser's localStorage, which holds about 5 million characters per site, so the total
/// stays below that. The engine has its own (larger) limits on what one run may carry.
/// </remarks>
public sealed class WorkspaceOptions
{
    public const string SectionName = "Workspace";

    public long MaxFileBytes { get; set; } = 1024 * 1024;
    public int MaxFiles { get; set; } = 200;
    public long MaxTotalBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest zip that can be imported, in bytes.</summary>
    public long MaxZipBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>Fails start-up with a sentence naming the wrong key.</summary>
public sealed class WorkspaceOptionsValidator : IValidateOptions<WorkspaceOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspaceOptions options)
    {
        const string S = WorkspaceOptions.SectionName;
        var errors = new List<string>();
        if (options.MaxFileBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"{S}:MaxFileBytes must be between 1024 and 16777216 (it is {options.MaxFileBytes}).");
        }

        if (options.MaxFiles is < 1 or > 10_000)
        {
            errors.Add($"{S}:MaxFiles must be between 1 and 10000 (it is {options.MaxFiles}).");
        }

        if (options.MaxTotalBytes < options.MaxFileBytes)
        {
            errors.Add($"{S}:MaxTotalBytes must be at least {S}:MaxFileBytes (it is {options.MaxTotalBytes}).");
        }

        if (options.MaxZipBytes < 1024)
        {
            errors.Add($"{S}:MaxZipBytes must be at least 1024 (it is {options.MaxZipBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
