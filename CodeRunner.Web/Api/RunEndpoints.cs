using CodeRunner.Engine;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Web.Api;

/// <summary><c>/api/v1</c>: runs (waited for, or polled), and the languages.</summary>
public static class RunEndpoints
{
    public static void MapRunEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/languages", (IExecutionEngine engine) =>
                engine.Languages.Select(l => new ApiLanguage(l.Id, l.DisplayName, l.Extensions, l.Problem is null, l.Problem)).ToList())
            .WithName("ListLanguages")
            .WithSummary("The languages this server runs, and why one cannot run now.");

        v1.MapPost("/runs", StartAsync)
            .Accepts<ApiRunRequest>("application/json")
            .Produces<ApiRunResult>()
            .Produces<ApiRunAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("StartRun")
            .WithSummary("Runs a program (or tests it against cases) and answers with its verdict; wait=false answers 202 with an id to poll.");

        v1.MapGet("/runs/{id}", async (string id, HttpContext context, ApiRunStore store) =>
            {
                var run = store.Find(id, ApiTokenAuthenticationHandler.TeacherOf(context.User));
                return run is null
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run",
                        detail: $"No run '{id}' of this token's teacher is kept: runs are kept for a while after they finish (Api:KeepFinishedMinutes).")
                    : Results.Ok(run.IsCompleted ? await run : ApiRunner.Running(id, null));
            })
            .Produces<ApiRunResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetRun")
            .WithSummary("A run started with wait=false: running, or finished with its result.");
    }

    private static async Task<IResult> StartAsync(HttpContext context, IExecutionEngine engine, ApiRunner runner, ApiRunStore store,
        IHostApplicationLifetime lifetime, bool wait = true)
    {
        var (request, error) = await JsonBody.ReadAsync<ApiRunRequest>(context, JsonBody.Strict);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        var program = ApiProgram.From(request!, engine.Languages, errors);
        if (program is null)
        {
            return Results.ValidationProblem(errors, title: $"The request's '{errors.Keys.First()}' is not valid.");
        }

        var id = Guid.NewGuid().ToString("N");
        // A waited-for run ends with the request; one to poll ends only with the server.
        var token = wait ? context.RequestAborted : lifetime.ApplicationStopping;
        Task<ApiRunResult> run;
        try
        {
            run = await runner.StartAsync(id, program, token);
        }
        catch (Exception ex) when (EngineRefusal(ex) is { } refusal)
        {
            return refusal;
        }

        if (wait)
        {
            return Results.Ok(await run);
        }

        if (!store.TryAdd(id, ApiTokenAuthenticationHandler.TeacherOf(context.User), run))
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many runs",
                detail: "The server keeps as many unfinished runs as it may (Api:KeptRuns); wait for some to finish, or use wait=true.");
        }

        var location = $"/api/v1/runs/{id}";
        return Results.Accepted(location, new ApiRunAccepted(id, "running", location));
    }

    /// <summary>The answer to an engine that refused a request before running it, or null for any other failure.</summary>
    public static IResult? EngineRefusal(Exception ex) => ex switch
    {
        LimitAboveCeilingException => JsonBody.Invalid("limits", ex.Message),
        InvalidRunRequestException => JsonBody.Invalid("files", ex.Message),
        RuntimeUnavailableException => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Language unavailable", detail: ex.Message),
        _ => null,
    };
}
