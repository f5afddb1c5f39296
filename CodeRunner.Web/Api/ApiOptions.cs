using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Api;

/// <summary>The HTTP API's own limits (<c>Api:*</c>): request size, how long finished runs are kept for polling, and batches.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest request body; larger ones get 413. The engine takes at most 10 MB of files, plus JSON's overhead.</summary>
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most runs kept in memory for polling, finished or not; past it the oldest finished one goes.</summary>
    public int KeptRuns { get; set; } = 1000;

    /// <summary>How long a finished run stays readable.</summary>
    public int KeepFinishedMinutes { get; set; } = 15;

    /// <summary>Most submissions in one Judge0 batch (Judge0's own default is 20).</summary>
    public int MaxBatchSize { get; set; } = 20;
}

/// <summary>Refuses limits that would make the API useless or unbounded, naming the key.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        List<string> problems = [];
        if (options.MaxRequestBytes is < 1024 or > 256L * 1024 * 1024)
        {
            problems.Add($"{ApiOptions.SectionName}:MaxRequestBytes must be between 1024 and {256L * 1024 * 1024} bytes; it is {options.MaxRequestBytes}.");
        }

        if (options.KeptRuns is < 1 or > 100_000)
        {
            problems.Add($"{ApiOptions.SectionName}:KeptRuns must be between 1 and 100000; it is {options.KeptRuns}.");
        }

        if (options.KeepFinishedMinutes is < 1 or > 24 * 60)
        {
            problems.Add($"{ApiOptions.SectionName}:KeepFinishedMinutes must be between 1 and 1440; it is {options.KeepFinishedMinutes}.");
        }

        if (options.MaxBatchSize is < 1 or > 1000)
        {
            problems.Add($"{ApiOptions.SectionName}:MaxBatchSize must be between 1 and 1000; it is {options.MaxBatchSize}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
