namespace CodeRunner.Engine.Runtimes;

/// <summary>Tells whether a Go source declares the program's <c>func main</c>, in one pass over its tokens.</summary>
internal static class GoMainFunction
{
    /// <summary>
    /// True when the source (UTF-8) declares <c>func main(</c> at file scope. A method named main
    /// (<c>func (s T) main()</c>), a nested function literal, and <c>main</c> in a comment or a quoted string are not.
    /// Go's comments, strings and runes are C's, so <see cref="CSourceLexer"/> reads it; a raw string (back-quoted)
    /// is read as code, which can only matter for a raw string that holds a whole line "func main(" at its start.
    /// </summary>
    public static bool IsDefinedIn(ReadOnlySpan<byte> source)
    {
        if (source.IndexOf("main"u8) < 0)
        {
            return false;
        }

        var lexer = new CSourceLexer(source);
        var depth = 0;
        CToken previous = default, beforePrevious = default;
        while (lexer.Next(out var token))
        {
            if (token.Kind == CTokenKind.Punctuator)
            {
                var punctuator = source[token.Start];
                depth += punctuator is (byte)'{' or (byte)'(' or (byte)'[' ? 1 : punctuator is (byte)'}' or (byte)')' or (byte)']' ? -1 : 0;
                if (punctuator == '(' && depth == 1 && Is(source, previous, "main"u8) && Is(source, beforePrevious, "func"u8))
                {
                    return true;
                }
            }

            beforePrevious = previous;
            previous = token;
        }

        return false;
    }

    private static bool Is(ReadOnlySpan<byte> source, CToken token, ReadOnlySpan<byte> name) =>
        token.Kind == CTokenKind.Identifier && source.Slice(token.Start, token.Length).SequenceEqual(name);
}
