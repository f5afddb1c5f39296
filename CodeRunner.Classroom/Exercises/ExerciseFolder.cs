namespace CodeRunner.Classroom.Exercises;

/// <summary>An exercise as a zip for version control: <c>exercise.json</c>, <c>statement.md</c>, <c>starter/</c>, <c>solution/</c> and <c>tests/NAME.in</c>/<c>.out</c>.</summary>
public static class ExerciseFolder
{
    /// <summary>Reads and checks an exercise zip (from a seekable stream), bounded whatever its headers say.</summary>
    /// <exception cref="ExerciseFormatException">The zip is not an exercise, or breaks a rule.</exception>
    public static ExerciseDraft Read(Stream zip, ExerciseLimits limits) => throw new NotImplementedException();

    /// <summary>Writes the exercise as a zip.</summary>
    public static void Write(ExerciseDraft draft, Stream zip) => throw new NotImplementedException();
}
