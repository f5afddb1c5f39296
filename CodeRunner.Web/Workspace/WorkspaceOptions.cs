using CodeRunner.Classroom.Projects;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Workspace;

/// <summary>Limits of a student's project, bound from the <c>Workspace</c> configuration section.</summary>
/// <remarks>
/// The project lives in the browser's localStorage, which holds about 5 million characters per site, so the total
/// stays below that, binary files included: they are kept there as base64, 4 characters for every 3 bytes, which is why
/// the total is 3 MB (see <see cref="ProjectLimits.MaxTotalBytes"/>). The limits count every file's real bytes. The
/// engine has its own (larger) limits on what one run may carry.
/// </remarks>
public sealed class WorkspaceOptions : ProjectLimits
{
    /// <summary>Largest zip that can be imported, in bytes.</summary>
    public long MaxZipBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>Fails start-up with a sentence naming the wrong key: the project's limits as the classroom checks them, and the zip's.</summary>
public sealed class WorkspaceOptionsValidator : IValidateOptions<WorkspaceOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspaceOptions options)
    {
        var errors = new ProjectLimitsValidator().Validate(name, options).Failures?.ToList() ?? [];
        if (options.MaxZipBytes < 1024)
        {
            errors.Add($"{ProjectLimits.SectionName}:MaxZipBytes must be at least 1024 (it is {options.MaxZipBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
