namespace CodeRunner.Engine.Runtimes;

/// <summary>Tells whether a C or C++ source defines its own <c>main</c>, in one pass over its tokens.</summary>
internal static class MainFunction
{
    private enum State
    {
        Scanning,
        AfterName,
        InParameters,
        AfterParameters,
    }

    /// <summary>
    /// True when the source (UTF-8) holds a function definition named <c>main</c> at file scope (an <c>extern "C"</c> block
    /// counts as file scope; a namespace, class or function body does not). A prototype such as
    /// <c>int main(void);</c> is not a definition, nor is <c>main</c> in a comment, a string or a preprocessor line.
    /// </summary>
    public static bool IsDefinedIn(ReadOnlySpan<byte> source)
    {
        if (source.IndexOf("main"u8) < 0)
        {
            // Most of a project's files are helpers: one vectorised search settles them.
            return false;
        }

        var lexer = new CSourceLexer(source);
        var state = State.Scanning;
        var parentheses = 0;

        // One entry per open brace: true for a real scope, false for an extern "C" { } block, which is still file scope.
        var braces = new Stack<bool>();
        var scopes = 0;
        CToken previous = default, beforePrevious = default;
        while (lexer.Next(out var token))
        {
            var punctuator = token.Kind == CTokenKind.Punctuator ? (char)source[token.Start] : '\0';
            switch (state)
            {
                case State.AfterName when punctuator == '(':
                    state = State.InParameters;
                    parentheses = 1;
                    break;
                case State.InParameters when punctuator == '(':
                    parentheses++;
                    break;
                case State.InParameters when punctuator == ')':
                    state = --parentheses == 0 ? State.AfterParameters : State.InParameters;
                    break;
                case State.InParameters when punctuator is not ('{' or '}' or ';'):
                    break;
                case State.AfterParameters when punctuator == '{' || IsIdentifier(source, token, "try"u8):
                    return true;
                case State.AfterParameters when punctuator == '(' || (punctuator == ')' && parentheses > 0):
                    parentheses += punctuator == '(' ? 1 : -1;
                    break;
                case State.AfterParameters when punctuator is not (';' or ',' or '=' or ')' or '}'):
                    // Attributes, noexcept or a trailing return type (auto main() -> int) may come before the body,
                    // with parentheses of their own.
                    break;
                default:
                    state = State.Scanning;
                    if (scopes == 0 && IsIdentifier(source, token, "main"u8) && !IsQualifier(source, previous))
                    {
                        state = State.AfterName;
                    }
                    else if (punctuator == '{')
                    {
                        var linkage = previous.Kind == CTokenKind.Literal && IsIdentifier(source, beforePrevious, "extern"u8);
                        braces.Push(!linkage);
                        scopes += linkage ? 0 : 1;
                    }
                    else if (punctuator == '}' && braces.TryPop(out var wasScope))
                    {
                        scopes -= wasScope ? 1 : 0;
                    }

                    break;
            }

            beforePrevious = previous;
            previous = token;
        }

        return false;
    }

    private static bool IsIdentifier(ReadOnlySpan<byte> source, CToken token, ReadOnlySpan<byte> name) =>
        token.Kind == CTokenKind.Identifier && source.Slice(token.Start, token.Length).SequenceEqual(name);

    /// <summary><c>Shape::main</c> or <c>obj.main</c> name a member, not the program's entry point.</summary>
    private static bool IsQualifier(ReadOnlySpan<byte> source, CToken token) =>
        token.Kind == CTokenKind.Punctuator && source[token.Start] is (byte)':' or (byte)'.';
}
