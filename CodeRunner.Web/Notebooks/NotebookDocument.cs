using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeRunner.Engine.Notebooks;

namespace CodeRunner.Web.Notebooks;

public enum NotebookCellType
{
    Code,
    Markdown,
    Raw,
}

/// <summary>One output of a code cell, with the metadata Jupyter gave it (kept so that a save loses nothing).</summary>
public sealed record NotebookOutput(KernelOutput Content, JsonObject? Metadata = null);

/// <summary>A cell: its source, and for a code cell its execution count and outputs. Keys this model does not know are kept.</summary>
public sealed class NotebookCell
{
    public NotebookCell(NotebookCellType type, string source = "", string? id = null)
    {
        Type = type;
        Source = source;
        Id = id ?? NewId();
    }

    public string Id { get; }

    public NotebookCellType Type { get; set; }

    public string Source { get; set; }

    public int? ExecutionCount { get; set; }

    public List<NotebookOutput> Outputs { get; } = [];

    /// <summary>The cell's other keys (metadata, attachments, …) as the file had them.</summary>
    internal JsonObject Extra { get; init; } = new() { ["metadata"] = new JsonObject() };

    /// <summary>An 8-byte random id in hex, as nbformat 4.5 asks of every cell.</summary>
    internal static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}

/// <summary>
/// A Jupyter notebook in nbformat 4: read from and written to the <c>.ipynb</c> JSON, keeping what it does not model
/// (notebook, cell and output metadata, attachments, unknown keys), so that a notebook made by Jupyter and saved here
/// opens in Jupyter as it was, with the changes made here.
/// </summary>
/// <remarks>Written as Jupyter writes it: one-space indents, multi-line text as lists of lines, and a final newline.</remarks>
public sealed class NotebookDocument
{
    /// <summary>The minor version this model writes at least: 4.5 gave cells their ids.</summary>
    public const int MinorVersion = 5;

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // the JSON is a file, never HTML: keep é and < as they are
    };

    private static readonly JsonDocumentOptions Reading = new() { MaxDepth = 256 };

    private JsonObject _root = new() { ["metadata"] = NewMetadata() };

    public List<NotebookCell> Cells { get; } = [];

    /// <summary>The Python notebook a student gets from "New notebook": one empty code cell.</summary>
    public static NotebookDocument New()
    {
        var document = new NotebookDocument();
        document.Cells.Add(new NotebookCell(NotebookCellType.Code));
        return document;
    }

    /// <summary>Reads a notebook; throws a <see cref="NotebookFormatException"/> that says what is wrong and where.</summary>
    public static NotebookDocument Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: Reading);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, column {ex.BytePositionInLine + 1})" : "";
            throw new NotebookFormatException($"The notebook is not valid JSON{where}.");
        }

        if (node is not JsonObject root)
        {
            throw new NotebookFormatException("The notebook is not a JSON object with 'cells' and 'nbformat'.");
        }

        var major = root["nbformat"] is JsonValue v && v.TryGetValue<int>(out var m) ? m : (int?)null;
        if (major != 4)
        {
            throw new NotebookFormatException(major is null
                ? "The notebook has no 'nbformat' version: it is not a Jupyter notebook."
                : $"The notebook is in nbformat {major}; only version 4 opens here. Open it in Jupyter and save it to convert it.");
        }

        if (root["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException("The notebook has no 'cells' list.");
        }

        var document = new NotebookDocument();
        for (var i = 0; i < cells.Count; i++)
        {
            document.Cells.Add(ReadCell(cells[i], i + 1));
        }

        root.Remove("cells");
        root["metadata"] ??= NewMetadata();
        document._root = root;
        return document;
    }

    /// <summary>The notebook as nbformat 4 JSON.</summary>
    public string Serialize()
    {
        var root = (JsonObject)_root.DeepClone();
        root["cells"] = new JsonArray(Cells.Select(WriteCell).ToArray<JsonNode?>());
        root["nbformat"] = 4;
        var minor = root["nbformat_minor"] is JsonValue v && v.TryGetValue<int>(out var m) ? m : 0;
        root["nbformat_minor"] = Math.Max(minor, MinorVersion);
        return Sorted(root).ToJsonString(Indented) + "\n";
    }

    private static JsonObject NewMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = "Python 3", ["language"] = "python", ["name"] = "python3" },
        ["language_info"] = new JsonObject { ["name"] = "python" },
    };

    private static NotebookCell ReadCell(JsonNode? node, int number)
    {
        if (node is not JsonObject cell)
        {
            throw new NotebookFormatException($"Cell {number} is not a JSON object.");
        }

        var type = Text(cell["cell_type"]) switch
        {
            "code" => NotebookCellType.Code,
            "markdown" => NotebookCellType.Markdown,
            "raw" => NotebookCellType.Raw,
            null => throw new NotebookFormatException($"Cell {number} has no 'cell_type'."),
            var other => throw new NotebookFormatException($"Cell {number} has the unknown type '{other}' (code, markdown or raw)."),
        };
        var source = MultilineText(cell["source"]) ?? throw new NotebookFormatException($"Cell {number} has no 'source' text.");
        var id = cell["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

        var extra = (JsonObject)cell.DeepClone();
        foreach (var known in new[] { "cell_type", "source", "id", "execution_count", "outputs" })
        {
            extra.Remove(known);
        }

        extra["metadata"] ??= new JsonObject();
        var result = new NotebookCell(type, source, id) { Extra = extra };
        if (type != NotebookCellType.Code)
        {
            return result;
        }

        result.ExecutionCount = cell["execution_count"] is JsonValue count && count.TryGetValue<int>(out var c) ? c : null;
        if (cell["outputs"] is JsonArray outputs)
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                result.Outputs.Add(ReadOutput(outputs[i], number, i + 1));
            }
        }
        else if (cell["outputs"] is not null)
        {
            throw new NotebookFormatException($"Cell {number}'s 'outputs' is not a list.");
        }

        return result;
    }

    private static NotebookOutput ReadOutput(JsonNode? node, int cell, int number)
    {
        string Where() => $"Output {number} of cell {cell}";
        if (node is not JsonObject output)
        {
            throw new NotebookFormatException($"{Where()} is not a JSON object.");
        }

        var metadata = output["metadata"] as JsonObject;
        KernelOutput content = Text(output["output_type"]) switch
        {
            "stream" => new StreamOutput(Text(output["name"]) ?? "stdout",
                MultilineText(output["text"]) ?? throw new NotebookFormatException($"{Where()} is a stream with no 'text'.")),
            "display_data" => new DisplayOutput(ReadData(output["data"], Where)),
            "execute_result" => new DisplayOutput(ReadData(output["data"], Where),
                output["execution_count"] is JsonValue count && count.TryGetValue<int>(out var c) ? c : 0),
            "error" => new ErrorOutput(Text(output["ename"]) ?? "", Text(output["evalue"]) ?? "",
                (output["traceback"] as JsonArray)?.Select(line => Text(line) ?? "").ToList() ?? []),
            null => throw new NotebookFormatException($"{Where()} has no 'output_type'."),
            var other => throw new NotebookFormatException(
                $"{Where()} has the unknown type '{other}' (stream, display_data, execute_result or error)."),
        };
        return new NotebookOutput(content, metadata is null ? null : (JsonObject)metadata.DeepClone());
    }

    /// <summary>A mime bundle: text types joined from their lines; JSON types kept as their JSON text.</summary>
    private static Dictionary<string, string> ReadData(JsonNode? node, Func<string> where)
    {
        if (node is not JsonObject data)
        {
            throw new NotebookFormatException($"{where()} has no 'data'.");
        }

        var bundle = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (mime, value) in data)
        {
            bundle[mime] = IsJsonMime(mime) ? value?.ToJsonString() ?? "null" : MultilineText(value)
                ?? throw new NotebookFormatException($"{where()} holds '{mime}' that is not text.");
        }

        return bundle;
    }

    private static JsonObject WriteCell(NotebookCell cell)
    {
        var json = (JsonObject)cell.Extra.DeepClone();
        json["cell_type"] = cell.Type switch
        {
            NotebookCellType.Code => "code",
            NotebookCellType.Markdown => "markdown",
            _ => "raw",
        };
        json["id"] = cell.Id;
        json["source"] = Lines(cell.Source);
        if (cell.Type == NotebookCellType.Code)
        {
            json["execution_count"] = cell.ExecutionCount;
            json["outputs"] = new JsonArray(cell.Outputs.Select(WriteOutput).ToArray<JsonNode?>());
        }
        else
        {
            json.Remove("execution_count");
            json.Remove("outputs");
        }

        return json;
    }

    private static JsonObject WriteOutput(NotebookOutput output)
    {
        var json = new JsonObject();
        switch (output.Content)
        {
            case StreamOutput stream:
                json["output_type"] = "stream";
                json["name"] = stream.Name;
                json["text"] = Lines(stream.Text);
                break;
            case DisplayOutput display:
                json["output_type"] = display.IsResult ? "execute_result" : "display_data";
                if (display.IsResult)
                {
                    json["execution_count"] = display.ExecutionCount;
                }

                json["data"] = WriteData(display.Data);
                json["metadata"] = output.Metadata?.DeepClone() ?? new JsonObject();
                break;
            case ErrorOutput error:
                json["output_type"] = "error";
                json["ename"] = error.Name;
                json["evalue"] = error.Value;
                json["traceback"] = new JsonArray(error.Traceback.Select(line => (JsonNode?)line).ToArray());
                break;
            default:
                throw new InvalidOperationException($"A notebook does not keep a {output.Content.GetType().Name}.");
        }

        return json;
    }

    private static JsonObject WriteData(IReadOnlyDictionary<string, string> data)
    {
        var json = new JsonObject();
        foreach (var (mime, value) in data.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json[mime] = IsJsonMime(mime) ? JsonNode.Parse(value)
                : mime.StartsWith("text/", StringComparison.Ordinal) || mime.EndsWith("+xml", StringComparison.Ordinal) ? Lines(value)
                : value;
        }

        return json;
    }

    private static bool IsJsonMime(string mime) =>
        mime == "application/json" || (mime.StartsWith("application/", StringComparison.Ordinal) && mime.EndsWith("+json", StringComparison.Ordinal));

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>nbformat's multi-line string: one string, or a list of strings to join.</summary>
    private static string? MultilineText(JsonNode? node)
    {
        if (node is JsonArray lines)
        {
            var text = new StringBuilder();
            foreach (var line in lines)
            {
                text.Append(Text(line) ?? throw new NotebookFormatException("A list of lines holds something that is not text."));
            }

            return text.ToString();
        }

        return Text(node);
    }

    /// <summary>Text split as Jupyter splits it: each line keeps its "\n".</summary>
    private static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>The object's keys in order, as Jupyter writes them (sort_keys), at every depth.</summary>
    private static JsonObject Sorted(JsonObject json)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in json.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList())
        {
            json.Remove(key);
            sorted[key] = value switch
            {
                JsonObject inner => Sorted(inner),
                JsonArray array => SortedArray(array),
                _ => value,
            };
        }

        return sorted;
    }

    private static JsonArray SortedArray(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return new JsonArray(items.Select(item => item is JsonObject inner ? Sorted(inner) : item is JsonArray a ? SortedArray(a) : item).ToArray());
    }
}

/// <summary>A notebook file that cannot be read; the message says what is wrong, for the student.</summary>
public sealed class NotebookFormatException(string message) : Exception(message);
