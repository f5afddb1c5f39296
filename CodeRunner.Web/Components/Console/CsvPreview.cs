using System.Text;

namespace CodeRunner.Web.Components.Console;

/// <summary>The first rows of a CSV text, split into cells (quoted cells with commas, quotes and line breaks included).</summary>
public static class CsvPreview
{
    public static List<List<string>> Rows(string text, int maxRows)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && rows.Count < maxRows; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                cell.Append(c);
            }
        }

        if (rows.Count < maxRows && (cell.Length > 0 || row.Count > 0))
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
