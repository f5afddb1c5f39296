using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Api;

/// <summary>
/// Reads a request's JSON body under the API's size limit, so that a bad body gets an answer a person can act on:
/// 413 past <see cref="ApiOptions.MaxRequestBytes"/>, 400 naming the field that did not parse.
/// </summary>
public static class JsonBody
{
    /// <summary>For /api/v1: camelCase, and an unknown field is refused by name (a typo would otherwise be ignored).</summary>
    public static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The value, or the result to answer with instead.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonSerializerOptions json)
        where T : class
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, json, context.RequestAborted);
            return value is null ? (null, Invalid("$", "The body is empty or null: send a JSON object.")) : (value, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "$";
            return (null, Invalid(field, ex.Message));
        }
    }

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: $"The request's '{field}' is not valid.");

    private static IResult TooLarge(long limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request is too large",
        detail: $"A request to this API may hold at most {limit} bytes (Api:MaxRequestBytes).");
}
