using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>Reads samples out of Prometheus's text format, as a scraper would.</summary>
public static partial class PrometheusText
{
    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>; 0 when none.</summary>
    public static double Sum(string text, string metric, params (string Name, string Value)[] labels) =>
        Samples(text, metric).Where(s => labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Every sample of <paramref name="metric"/>, with its labels.</summary>
    public static IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string text, string metric)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success || match.Groups["name"].Value != metric)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            yield return (labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
