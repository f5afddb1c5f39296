using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom.Projects;

/// <summary>Limits of a student's project on the server: the same <c>Workspace</c> section as the IDE's workspace, which extends it.</summary>
public class ProjectLimits
{
    public const string SectionName = "Workspace";

    public long MaxFileBytes { get; set; } = 1024 * 1024;
    public int MaxFiles { get; set; } = 200;
    /// <remarks>
    /// 3 MB, so that a solo project fits the browser's localStorage (about 5 million characters per site) even when all
    /// of it is binary, kept there as base64 (4 characters for 3 bytes): 4 million characters at most, as 4 MB of text was.
    /// </remarks>
    public long MaxTotalBytes { get; set; } = 3 * 1024 * 1024;
}

/// <summary>Fails start-up with a sentence naming the wrong key; the IDE's workspace options are checked by it too.</summary>
public sealed class ProjectLimitsValidator : IValidateOptions<ProjectLimits>
{
    public ValidateOptionsResult Validate(string? name, ProjectLimits options)
    {
        const string S = ProjectLimits.SectionName;
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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
