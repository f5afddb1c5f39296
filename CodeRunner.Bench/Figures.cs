using System.Text.Json;

namespace CodeRunner.Bench;

/// <summary>The figures of one benchmark run, printed as a table and written as JSON.</summary>
internal sealed class Figures
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly List<(string Name, double Value, string? Baseline, string Unit)> _rows = [];

    public IReadOnlyDictionary<string, double> Values => _rows.ToDictionary(r => r.Name, r => Math.Round(r.Value, 2));

    public void Add(string name, double value, string unit = "ms", string? baseline = null)
    {
        _rows.Add((name, value, baseline, unit));
        Console.Error.WriteLine($"  {name} = {value:0.##} {unit}");
    }

    public double this[string name] => _rows.First(r => r.Name == name).Value;

    public bool Has(string name) => _rows.Any(r => r.Name == name);

    public void PrintTable(TextWriter output)
    {
        output.WriteLine($"{"figure",-30} {"value",10} {"unit",-5} {"baseline",-26} {"ratio",7}");
        output.WriteLine(new string('-', 82));
        foreach (var (name, value, baseline, unit) in _rows)
        {
            var ratio = baseline is not null && Has(baseline) && this[baseline] > 0 ? $"{value / this[baseline]:0.00}x" : "";
            output.WriteLine($"{name,-30} {value,10:0.##} {unit,-5} {baseline ?? "",-26} {ratio,7}");
        }
    }

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, new { figures = Values }, Indented);
    }
}

/// <summary>Percentiles over measured durations.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
