using CodeRunner.Engine.Runs;

namespace CodeRunner.Bench;

/// <summary>The same hello world for every figure of a language.</summary>
internal static class HelloWorlds
{
    public static readonly string[] Languages = ["python", "javascript", "c", "cpp", "java", "typescript", "go", "rust", "bash", "csharp"];

    public static RunRequest Request(string language, RunMode mode = RunMode.Fast)
    {
        var (entry, code) = language switch
        {
            "python" => ("main.py", "print('hello')\n"),
            "javascript" => ("main.js", "console.log('hello');\n"),
            "c" => ("main.c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n"),
            "cpp" => ("main.cpp", "#include <iostream>\nint main() { std::cout << \"hello\" << std::endl; }\n"),
            "java" => ("Main.java", "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }\n"),
            "typescript" => ("main.ts", "const greeting: string = 'hello';\nconsole.log(greeting);\n"),
            "go" => ("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n"),
            "rust" => ("main.rs", "fn main() {\n    println!(\"hello\");\n}\n"),
            "bash" => ("main.sh", "echo hello\n"),
            "csharp" => ("Program.cs", "Console.WriteLine(\"hello\");\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
        };
        return new RunRequest { EntryFile = entry, Files = [SourceFile.Text(entry, code)], Mode = mode };
    }
}
