using CodeRunner.Engine.Runs;

namespace CodeRunner.Bench;

/// <summary>The same hello world for every figure of a language.</summary>
internal static class HelloWorlds
{
    public static readonly string[] Languages = ["python", "javascript", "c", "cpp", "java", "csharp"];

    public static RunRequest Request(string language, RunMode mode = RunMode.Fast)
    {
        var (entry, code) = language switch
        {
            "python" => ("main.py", "print('hello')\n"),
            "javascript" => ("main.js", "console.log('hello');\n"),
            "c" => ("main.c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n"),
            "cpp" => ("main.cpp", "#include <iostream>\nint main() { std::cout << \"hello\" << std::endl; }\n"),
            "java" => ("Main.java", "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }\n"),
            "csharp" => ("Program.cs", "Console.WriteLine(\"hello\");\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
        };
        return new RunRequest { EntryFile = entry, Files = [SourceFile.Text(entry, code)], Mode = mode };
    }
}
