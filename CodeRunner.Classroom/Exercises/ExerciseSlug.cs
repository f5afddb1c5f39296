using System.Text;

namespace CodeRunner.Classroom.Exercises;

/// <summary>A folder name made of an exercise's title, for its starter files in students' projects.</summary>
internal static class ExerciseSlug
{
    private const int MaxLength = 40;

    /// <summary>Letters and digits of the title (any script), lower case, with '-' between words; "exercise" when nothing is left.</summary>
    public static string Of(string title, Func<string, string?> pathProblem)
    {
        var slug = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        text = text.Length > MaxLength ? text[..MaxLength].TrimEnd('-') : text;
        return text.Length == 0 || pathProblem(text) is not null ? "exercise" : text;
    }
}
