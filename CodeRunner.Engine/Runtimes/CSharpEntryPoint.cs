namespace CodeRunner.Engine.Runtimes;

/// <summary>Tells whether a C# source is a program of its own, in one pass over its tokens.</summary>
internal static class CSharpEntryPoint
{
    private enum Scope
    {
        Namespace,
        Type,
        Code,
    }

    private static readonly HashSet<string> TypeKeywords = ["class", "struct", "interface", "enum", "record", "delegate"];

    private static readonly HashSet<string> Modifiers =
        ["public", "private", "protected", "internal", "static", "abstract", "sealed", "partial", "unsafe", "file", "readonly", "ref", "new"];

    /// <summary>
    /// True when the source holds an entry point: top-level statements (a statement or a local function outside every
    /// type and namespace), or a <c>static</c> method named <c>Main</c> in a type. A <c>Main</c> in a comment, a string,
    /// a method body or a file with only types and namespaces is not one.
    /// </summary>
    public static bool IsDeclaredIn(string source)
    {
        var tokens = CSharpLexer.Tokenize(source);
        string Text(int i) => i < tokens.Count && tokens[i].Kind != CSharpTokenKind.Literal ? source.Substring(tokens[i].Start, tokens[i].Length) : "";

        // Each open brace's scope, with the parentheses open around it, which its closing brace brings back.
        var scopes = new Stack<(Scope Scope, int Parentheses)>();
        var fileScopedNamespace = false;
        var elementStart = true; // at the first token of a declaration or a statement
        var attributes = false; // the element so far is an attribute list
        bool isStatic = false, assigned = false, sawTypeKeyword = false, sawParenthesis = false;
        var parentheses = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var text = Text(i);
            Scope? scope = scopes.TryPeek(out var top) ? top.Scope : fileScopedNamespace ? Scope.Namespace : null;
            if (elementStart)
            {
                // Outside every type and namespace, what is not a directive or a declaration is a statement.
                if (scope is null && !IsFileLevelDeclaration(i, Text))
                {
                    return true;
                }

                attributes = text == "[";
                isStatic = assigned = sawTypeKeyword = sawParenthesis = false;
                elementStart = false;
            }

            if (scope == Scope.Type && text == "Main" && Text(i + 1) == "(" && isStatic && !assigned && parentheses == 0)
            {
                return true;
            }

            switch (text)
            {
                case "(" or "[":
                    parentheses++;
                    sawParenthesis |= text == "(";
                    break;
                case ")" or "]":
                    parentheses--;
                    // An attribute list ends without a semicolon: what follows starts anew.
                    elementStart = attributes && parentheses == 0 && scope != Scope.Code;
                    break;
                case "static":
                    isStatic = true;
                    break;
                case "=":
                    assigned = true;
                    break;
                case ";" when parentheses <= 0:
                    fileScopedNamespace |= scope is null && HeaderHasNamespace(i, Text);
                    elementStart = true;
                    break;
                case "{":
                    // A namespace or a type (its keyword before any parenthesis: `void M<T>() where T : class` is a
                    // method) holds declarations; any other brace holds code.
                    var inner = scope == Scope.Code ? Scope.Code
                        : HeaderHasNamespace(i, Text) ? Scope.Namespace
                        : sawTypeKeyword ? Scope.Type
                        : Scope.Code;
                    scopes.Push((inner, parentheses));
                    parentheses = 0;
                    elementStart = inner != Scope.Code;
                    break;
                case "}":
                    parentheses = scopes.TryPop(out var closed) ? closed.Parentheses : 0;
                    elementStart = !scopes.TryPeek(out var outer) || outer.Scope != Scope.Code;
                    break;
                default:
                    sawTypeKeyword |= TypeKeywords.Contains(text) && !sawParenthesis && !assigned;
                    break;
            }
        }

        return false;
    }

    /// <summary>At the start of an element outside every type: a using or extern alias directive, an attribute list, a namespace or a type.</summary>
    private static bool IsFileLevelDeclaration(int i, Func<int, string> text)
    {
        if (text(i) == "[" || text(i) == ";" || text(i) == "namespace" || (text(i) == "extern" && text(i + 1) == "alias"))
        {
            return true;
        }

        if (text(i) == "global" && text(i + 1) == "using")
        {
            return true;
        }

        if (text(i) == "using")
        {
            // `using X;`, `using static X;` and `using A = B;` are directives; `using (…)`, `using var r = …;` and
            // `using Type r = …;` are statements.
            var j = i + 1;
            if (text(j) is "(" or "var")
            {
                return false;
            }

            var names = 0;
            for (; j < i + 64 && text(j) is not (";" or "=" or ""); j++)
            {
                names += text(j) is "." or "static" or "unsafe" or "<" or ">" or "," ? 0 : 1;
            }

            return text(j) != "=" || names <= 1;
        }

        var k = i;
        while (Modifiers.Contains(text(k)))
        {
            k++;
        }

        return TypeKeywords.Contains(text(k));
    }

    /// <summary>Whether the element that ends at this token is a namespace's: <c>namespace</c> is a reserved word.</summary>
    private static bool HeaderHasNamespace(int end, Func<int, string> text)
    {
        for (var j = end - 1; j >= 0 && text(j) is not (";" or "{" or "}"); j--)
        {
            if (text(j) == "namespace")
            {
                return true;
            }
        }

        return false;
    }
}
