using System.Text.Json.Serialization;

namespace CodeRunner.Web.Api.Judge0;

/// <summary>A Judge0 submission as clients send it; fields this server does not support are listed in docs/api.md.</summary>
public sealed record Judge0SubmissionRequest
{
    [JsonPropertyName("source_code")] public string? SourceCode { get; init; }
    [JsonPropertyName("language_id")] public int? LanguageId { get; init; }
    [JsonPropertyName("stdin")] public string? Stdin { get; init; }
    [JsonPropertyName("expected_output")] public string? ExpectedOutput { get; init; }
    [JsonPropertyName("command_line_arguments")] public string? CommandLineArguments { get; init; }
    [JsonPropertyName("cpu_time_limit")] public double? CpuTimeLimit { get; init; }
    [JsonPropertyName("wall_time_limit")] public double? WallTimeLimit { get; init; }

    /// <summary>In kilobytes, as Judge0 has it.</summary>
    [JsonPropertyName("memory_limit")] public double? MemoryLimit { get; init; }

    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("additional_files")] public string? AdditionalFiles { get; init; }
    [JsonPropertyName("compiler_options")] public string? CompilerOptions { get; init; }
    [JsonPropertyName("redirect_stderr_to_stdout")] public bool? RedirectStderrToStdout { get; init; }
}

/// <summary>The body of <c>POST /submissions/batch</c>.</summary>
public sealed record Judge0BatchRequest
{
    [JsonPropertyName("submissions")] public List<Judge0SubmissionRequest>? Submissions { get; init; }
}

/// <summary>A status, as Judge0 gives it.</summary>
public sealed record Judge0Status([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("description")] string Description);

/// <summary>A language, as Judge0 lists it.</summary>
public sealed record Judge0Language([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("name")] string Name);

/// <summary>The token of a new submission.</summary>
public sealed record Judge0Token([property: JsonPropertyName("token")] string Token);

/// <summary>A submission's state and result, as Judge0 answers <c>GET /submissions/{token}</c>.</summary>
public sealed record Judge0Submission
{
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("status")] public required Judge0Status Status { get; init; }
    [JsonPropertyName("status_id")] public int StatusId => Status.Id;
    [JsonPropertyName("language_id")] public int? LanguageId { get; init; }
    [JsonPropertyName("stdout")] public string? Stdout { get; init; }
    [JsonPropertyName("stderr")] public string? Stderr { get; init; }
    [JsonPropertyName("compile_output")] public string? CompileOutput { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>CPU time in seconds, as a string, as Judge0 gives it.</summary>
    [JsonPropertyName("time")] public string? Time { get; init; }

    [JsonPropertyName("wall_time")] public string? WallTime { get; init; }

    /// <summary>Peak memory in kilobytes.</summary>
    [JsonPropertyName("memory")] public long? Memory { get; init; }

    [JsonPropertyName("exit_code")] public int? ExitCode { get; init; }
    [JsonPropertyName("exit_signal")] public int? ExitSignal { get; init; }
}

/// <summary>The answer of <c>GET /submissions/batch</c>.</summary>
public sealed record Judge0Batch([property: JsonPropertyName("submissions")] List<Judge0Submission?> Submissions);
