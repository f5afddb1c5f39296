using System.Buffers;
using System.Text.Json;

namespace CodeRunner.Engine.Notebooks;

/// <summary>A message from the kernel program (runtimes/python/coderunner/coderunner_kernel.py).</summary>
internal abstract record KernelMessage;

/// <summary>The interpreter has loaded and reads cells.</summary>
internal sealed record KernelReady : KernelMessage;

/// <summary>An output of cell <paramref name="Cell"/>.</summary>
internal sealed record KernelCellOutput(long Cell, KernelOutput Output) : KernelMessage;

/// <summary>Cell <paramref name="Cell"/> ended; <paramref name="Ok"/> is false when it raised.</summary>
internal sealed record KernelCellDone(long Cell, bool Ok, int ExecutionCount) : KernelMessage;

/// <summary>The kernel's process ended, for the reason given as a sentence.</summary>
internal sealed record KernelEnded(string Problem) : KernelMessage;

/// <summary>
/// The kernel program's protocol: one JSON object per line on the run's stdin and stdout. Lines that are not one of
/// its messages are ignored, so nothing a cell manages to write there can make the engine fail.
/// </summary>
internal static class KernelWire
{
    public static byte[] Execute(long cell, string code) => Line(w =>
    {
        w.WriteString("type", "execute");
        w.WriteNumber("id", cell);
        w.WriteString("code", code);
    });

    public static byte[] InputReply(string value) => Line(w =>
    {
        w.WriteString("type", "input_reply");
        w.WriteString("value", value);
    });

    /// <summary>The message on one line (without its newline), or null when it is none.</summary>
    public static KernelMessage? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            var m = document.RootElement;
            if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            if (type.ValueEquals("ready"))
            {
                return new KernelReady();
            }

            if (!m.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id))
            {
                return null;
            }

            return type.GetString() switch
            {
                "stream" => new KernelCellOutput(id, new StreamOutput(String(m, "name") == "stderr" ? "stderr" : "stdout", String(m, "text"))),
                "display" => new KernelCellOutput(id, new DisplayOutput(Data(m), Count(m))),
                "error" => new KernelCellOutput(id, new ErrorOutput(String(m, "ename"), String(m, "evalue"), Strings(m, "traceback"))),
                "input_request" => new KernelCellOutput(id, new InputRequest(String(m, "prompt"),
                    m.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.True)),
                "done" => new KernelCellDone(id, String(m, "status") == "ok", Count(m) ?? 0),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null; // whatever the line holds, it never stops the engine reading the kernel
        }
    }

    private static string String(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static int? Count(JsonElement m) =>
        m.TryGetProperty("execution_count", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var count) ? count : null;

    private static List<string> Strings(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    private static Dictionary<string, string> Data(JsonElement m)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (m.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in d.EnumerateObject().Where(i => i.Value.ValueKind == JsonValueKind.String))
            {
                data[item.Name] = item.Value.GetString()!;
            }
        }

        return data;
    }

    private static byte[] Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
