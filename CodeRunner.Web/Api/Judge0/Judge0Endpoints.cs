using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;

namespace CodeRunner.Web.Api.Judge0;

/// <summary>
/// A Judge0 CE-compatible subset at the root (<c>/submissions</c>, <c>/languages</c>, <c>/statuses</c>), so that
/// existing Judge0 clients work unchanged. A submission is a test run of one case: Judge0's statuses come from the
/// same judge as the exercises'.
/// </summary>
public static class Judge0Endpoints
{
    /// <summary>Judge0's JSON: snake_case names on the types, numbers accepted as strings, unknown fields ignored (clients send many).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    public static void MapJudge0Endpoints(this RouteGroupBuilder root)
    {
        var judge0 = root.MapGroup("").WithTags("Judge0");
        judge0.MapGet("/languages", (IExecutionEngine engine) => Results.Json(Judge0Catalog.Listed(engine.Languages).ToList(), Json))
            .Produces<List<Judge0Language>>().WithName("Judge0Languages");
        judge0.MapGet("/statuses", () => Results.Json(Judge0Catalog.Statuses.Select(s => new Judge0Status(s.Key, s.Value)).ToList(), Json))
            .Produces<List<Judge0Status>>().WithName("Judge0Statuses");

        judge0.MapPost("/submissions", CreateAsync)
            .Accepts<Judge0SubmissionRequest>("application/json")
            .Produces<Judge0Submission>(StatusCodes.Status201Created)
            .WithName("Judge0CreateSubmission");
        judge0.MapGet("/submissions/{token}", (string token, HttpContext context, ApiRunStore store, bool base64_encoded = false) =>
                store.Find(token, ApiTokenAuthenticationHandler.TeacherOf(context.User)) is { } run
                    ? Results.Json(Submission(token, run, base64_encoded), Json)
                    : NotFound(token))
            .Produces<Judge0Submission>().WithName("Judge0GetSubmission");

        judge0.MapPost("/submissions/batch", CreateBatchAsync)
            .Accepts<Judge0BatchRequest>("application/json")
            .Produces<List<Judge0Token>>(StatusCodes.Status201Created)
            .WithName("Judge0CreateBatch");
        judge0.MapGet("/submissions/batch", (string? tokens, HttpContext context, ApiRunStore store, bool base64_encoded = false) =>
            {
                var owner = ApiTokenAuthenticationHandler.TeacherOf(context.User);
                var list = (tokens ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return list.Length == 0
                    ? Results.Json(new Dictionary<string, string[]> { ["tokens"] = ["Give the submissions' tokens, separated by commas."] }, Json, statusCode: 400)
                    : Results.Json(new Judge0Batch([.. list.Select(t => store.Find(t, owner) is { } run ? Submission(t, run, base64_encoded) : null)]), Json);
            })
            .Produces<Judge0Batch>().WithName("Judge0GetBatch");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IExecutionEngine engine, ApiRunner runner, ApiRunStore store,
        IHostApplicationLifetime lifetime, bool wait = false, bool base64_encoded = false)
    {
        var (request, error) = await JsonBody.ReadAsync<Judge0SubmissionRequest>(context, Json);
        if (error is not null)
        {
            return error;
        }

        var token = Guid.NewGuid().ToString();
        var started = await StartAsync(token, request!, base64_encoded, engine, runner, store, context, keep: !wait, wait ? context.RequestAborted : lifetime.ApplicationStopping);
        if (started.Error is not null)
        {
            return started.Error;
        }

        return wait
            ? Results.Json(Submission(token, Task.FromResult(await started.Run!), base64_encoded), Json, statusCode: StatusCodes.Status201Created)
            : Results.Json(new Judge0Token(token), Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateBatchAsync(HttpContext context, IExecutionEngine engine, ApiRunner runner, ApiRunStore store,
        IHostApplicationLifetime lifetime, Microsoft.Extensions.Options.IOptions<ApiOptions> options, bool base64_encoded = false)
    {
        var (batch, error) = await JsonBody.ReadAsync<Judge0BatchRequest>(context, Json);
        if (error is not null)
        {
            return error;
        }

        if (batch!.Submissions is not { Count: > 0 } submissions || submissions.Count > options.Value.MaxBatchSize)
        {
            return Results.Json(new Dictionary<string, string[]>
            {
                ["submissions"] = [$"Give 1 to {options.Value.MaxBatchSize} submissions (Api:MaxBatchSize)."],
            }, Json, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var answers = new List<object>();
        foreach (var submission in submissions)
        {
            var token = Guid.NewGuid().ToString();
            var started = await StartAsync(token, submission, base64_encoded, engine, runner, store, context, keep: true, lifetime.ApplicationStopping);
            answers.Add(started.Errors ?? (object)new Judge0Token(token));
        }

        return Results.Json(answers, Json, statusCode: StatusCodes.Status201Created);
    }

    private sealed record Started(Task<ApiRunResult>? Run, IResult? Error, Dictionary<string, string[]>? Errors);

    /// <summary>Checks a submission and starts it as a test run of one case; problems are keyed by Judge0's field names.</summary>
    private static async Task<Started> StartAsync(string token, Judge0SubmissionRequest request, bool base64, IExecutionEngine engine,
        ApiRunner runner, ApiRunStore store, HttpContext context, bool keep, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var source = Decode(request.SourceCode, "source_code", base64, errors);
        var stdin = Decode(request.Stdin, "stdin", base64, errors) ?? "";
        var expected = Decode(request.ExpectedOutput, "expected_output", base64, errors);
        var language = request.LanguageId is { } id ? Judge0Catalog.Find(id, engine.Languages) : null;
        if (request.SourceCode is null)
        {
            errors.TryAdd("source_code", ["can't be blank"]);
        }

        if (request.LanguageId is null)
        {
            errors["language_id"] = ["can't be blank"];
        }
        else if (language is null)
        {
            errors["language_id"] = [$"language with id {request.LanguageId} doesn't exist on this server (GET /languages lists those it runs)"];
        }

        foreach (var (field, given) in new (string, object?)[] { ("callback_url", request.CallbackUrl), ("additional_files", request.AdditionalFiles), ("compiler_options", request.CompilerOptions) })
        {
            if (given is string { Length: > 0 })
            {
                errors[field] = ["is not supported by this server (see docs/api.md)"];
            }
        }

        if (request.RedirectStderrToStdout == true)
        {
            errors["redirect_stderr_to_stdout"] = ["is not supported by this server (see docs/api.md)"];
        }

        var limitErrors = new Dictionary<string, string[]>();
        var limits = ApiProgram.Limits(new ApiLimits
        {
            TimeSeconds = request.WallTimeLimit,
            CpuTimeSeconds = request.CpuTimeLimit,
            MemoryMb = request.MemoryLimit is { } kb ? Math.Max(1, (int)Math.Ceiling(kb / 1024)) : null,
        }, "limits", limitErrors);
        foreach (var (key, value) in limitErrors)
        {
            errors[key.Replace("limits.timeSeconds", "wall_time_limit").Replace("limits.cpuTimeSeconds", "cpu_time_limit").Replace("limits.memoryMb", "memory_limit")] = value;
        }

        if (errors.Count > 0)
        {
            return new Started(null, Results.Json(errors, Json, statusCode: StatusCodes.Status422UnprocessableEntity), errors);
        }

        var file = Judge0Catalog.SourceFile(language!);
        var program = new ApiProgram(
            new RunRequest { Files = [SourceFile.Text(file, source!)], EntryFile = file, Language = language!.Id },
            [new TestCase
            {
                Name = "submission",
                Stdin = stdin,
                Arguments = (request.CommandLineArguments ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
                ExpectedOutput = expected ?? "",
                Limits = limits,
            }]);
        Task<ApiRunResult> run;
        try
        {
            run = await runner.StartAsync(token, program, cancellationToken);
        }
        catch (Exception ex) when (ex is LimitAboveCeilingException or InvalidRunRequestException)
        {
            // Judge0 answers 422 with the field's errors; a limit above the ceiling names its figures in the message.
            var refused = new Dictionary<string, string[]> { [ex is LimitAboveCeilingException ? "limits" : "source_code"] = [ex.Message] };
            return new Started(null, Results.Json(refused, Json, statusCode: StatusCodes.Status422UnprocessableEntity), refused);
        }
        catch (RuntimeUnavailableException ex)
        {
            var unavailable = new Dictionary<string, string[]> { ["language_id"] = [ex.Message] };
            return new Started(null, Results.Json(unavailable, Json, statusCode: StatusCodes.Status503ServiceUnavailable), unavailable);
        }

        // Without an expected output Judge0 accepts any run that ended well: the case's comparison with "" is not asked for.
        if (expected is null)
        {
            run = run.ContinueWith(t => AcceptAnyOutput(t.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (keep && !store.TryAdd(token, ApiTokenAuthenticationHandler.TeacherOf(context.User), run))
        {
            var full = new Dictionary<string, string[]> { ["token"] = ["the server keeps as many unfinished submissions as it may; try again later"] };
            return new Started(null, Results.Json(full, Json, statusCode: StatusCodes.Status503ServiceUnavailable), full);
        }

        return new Started(run, null, null);
    }

    private static ApiRunResult AcceptAnyOutput(ApiRunResult result) =>
        result.Cases is [{ Judge0StatusId: Judge0Catalog.WrongAnswer } only]
            ? result with { Cases = [only with { Judge0StatusId = Judge0Catalog.Accepted, Outcome = "passed", Passed = true, Status = "Accepted", Message = null }] }
            : result;

    private static string? Decode(string? value, string field, bool base64, Dictionary<string, string[]> errors)
    {
        if (value is null || !base64)
        {
            return value;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            errors[field] = ["is not valid Base64 (base64_encoded=true was given)"];
            return null;
        }
    }

    private static string? Encode(string? value, bool base64) =>
        value is null || !base64 ? value : Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static IResult NotFound(string token) =>
        Results.Json(new { error = $"submission {token} was not found (finished submissions are kept for a while: Api:KeepFinishedMinutes)" }, Json, statusCode: 404);

    /// <summary>A submission as Judge0 shows it: processing, or its result with Judge0's status.</summary>
    private static Judge0Submission Submission(string token, Task<ApiRunResult> run, bool base64)
    {
        if (!run.IsCompleted)
        {
            return new Judge0Submission { Token = token, Status = Judge0Catalog.Status(Judge0Catalog.Processing) };
        }

        var result = run.Result;
        var language = Judge0Catalog.Languages.FirstOrDefault(l => l.Language == result.Language).Id;
        if (result.Cases is not [var only])
        {
            return new Judge0Submission
            {
                Token = token,
                Status = Judge0Catalog.Status(Judge0Catalog.InternalError),
                LanguageId = language,
                Message = Encode(result.Message, base64),
            };
        }

        var status = Judge0Catalog.Statuses.ContainsKey(only.Judge0StatusId) ? only.Judge0StatusId : Judge0Catalog.InternalError;
        return new Judge0Submission
        {
            Token = token,
            Status = Judge0Catalog.Status(status),
            LanguageId = language,
            Stdout = Encode(NullIfEmpty(only.Stdout), base64),
            Stderr = Encode(NullIfEmpty(only.Stderr), base64),
            CompileOutput = Encode(result.CompileOutput, base64),
            Message = Encode(only.Message, base64),
            Time = only.CpuTimeSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            WallTime = only.TimeSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            Memory = only.MemoryBytes / 1024,
            ExitCode = only.ExitCode,
            ExitSignal = only.Signal,
        };
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
