namespace CodeRunner.Engine.Runtimes;

/// <summary>The kinds of token <see cref="CSharpLexer"/> tells apart: just enough to find an entry point.</summary>
internal enum CSharpTokenKind
{
    Identifier,
    Literal,
    Punctuator,
}

/// <summary>A token of C# source, as a range of its characters.</summary>
internal readonly record struct CSharpToken(CSharpTokenKind Kind, int Start, int Length);

/// <summary>
/// Splits C# source into tokens in one forward pass. Comments and preprocessor lines are skipped; numbers, characters
/// and strings (regular, verbatim, raw, and interpolated ones of each kind, with the code of their holes) come back
/// whole, as one literal, so that nothing inside them looks like code. Every other character is a punctuator.
/// </summary>
internal sealed class CSharpLexer(string text)
{
    private int _position = text.StartsWith('\uFEFF') ? 1 : 0;
    private bool _atLineStart = true;

    public static List<CSharpToken> Tokenize(string text)
    {
        var lexer = new CSharpLexer(text);
        var tokens = new List<CSharpToken>();
        while (lexer.Next() is { } token)
        {
            tokens.Add(token);
        }

        return tokens;
    }

    private CSharpToken? Next()
    {
        while (_position < text.Length)
        {
            var c = text[_position];
            var next = At(_position + 1);
            if (c == '\n')
            {
                _position++;
                _atLineStart = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if ((c == '#' && _atLineStart) || (c == '/' && next == '/'))
            {
                // A preprocessor line (#if, #region, #nullable, a #! line) or a line comment.
                _position = text.IndexOf('\n', _position) is var end and >= 0 ? end : text.Length;
            }
            else if (c == '/' && next == '*')
            {
                _position = text.IndexOf("*/", _position + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : text.Length;
            }
            else
            {
                _atLineStart = false;
                return Read(c);
            }
        }

        return null;
    }

    private CSharpToken Read(char c)
    {
        var start = _position;
        if (StringPrefix() is { } prefix)
        {
            _position += prefix.Length;
            SkipString(prefix.Dollars, prefix.Verbatim);
            return new CSharpToken(CSharpTokenKind.Literal, start, _position - start);
        }

        if (c == '\'')
        {
            SkipRegular('\'', 0);
            return new CSharpToken(CSharpTokenKind.Literal, start, _position - start);
        }

        if (char.IsAsciiDigit(c))
        {
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '.'))
            {
                _position++;
            }

            return new CSharpToken(CSharpTokenKind.Literal, start, _position - start);
        }

        if (IsIdentifierPart(c) || (c == '@' && IsIdentifierPart(At(_position + 1))))
        {
            _position++;
            while (_position < text.Length && IsIdentifierPart(text[_position]))
            {
                _position++;
            }

            return new CSharpToken(CSharpTokenKind.Identifier, start, _position - start);
        }

        _position++;
        return new CSharpToken(CSharpTokenKind.Punctuator, start, 1);
    }

    /// <summary>The <c>$</c> and <c>@</c> characters before a string's first quote, when a string starts here.</summary>
    private (int Length, int Dollars, bool Verbatim)? StringPrefix()
    {
        var at = _position;
        var dollars = 0;
        var verbatim = false;
        for (; at < text.Length && text[at] is '$' or '@'; at++)
        {
            dollars += text[at] == '$' ? 1 : 0;
            verbatim |= text[at] == '@';
        }

        return At(at) == '"' ? (at - _position, dollars, verbatim) : null;
    }

    private void SkipString(int dollars, bool verbatim)
    {
        var quotes = Run('"', _position);
        if (quotes >= 3)
        {
            SkipRaw(quotes, dollars);
        }
        else if (verbatim)
        {
            SkipVerbatim(dollars);
        }
        else
        {
            SkipRegular('"', dollars);
        }
    }

    /// <summary>A regular string or a character: a backslash escapes the next character; the end of a line ends it.</summary>
    private void SkipRegular(char quote, int dollars)
    {
        _position++;
        while (_position < text.Length && text[_position] is var c && c != '\n')
        {
            if (c == quote)
            {
                _position++;
                return;
            }

            if (c == '{' && dollars > 0)
            {
                OpenHole(1);
            }
            else
            {
                _position += c == '\\' ? 2 : 1;
            }
        }
    }

    /// <summary>@"…": two quotes are one quote; it may span lines.</summary>
    private void SkipVerbatim(int dollars)
    {
        _position++;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '"' && At(_position + 1) != '"')
            {
                _position++;
                return;
            }

            if (c == '{' && dollars > 0)
            {
                OpenHole(1);
            }
            else
            {
                _position += c == '"' ? 2 : 1;
            }
        }
    }

    /// <summary>"""…""": it ends at a run of as many quotes as opened it; with n dollars, n braces open a hole.</summary>
    private void SkipRaw(int quotes, int dollars)
    {
        _position += quotes;
        while (_position < text.Length)
        {
            var c = text[_position];
            var run = c is '"' or '{' ? Run(c, _position) : 1;
            if (c == '"' && run >= quotes)
            {
                _position += run;
                return;
            }

            if (c == '{' && dollars > 0 && run >= dollars)
            {
                // Braces before the last n are text.
                _position += run - dollars;
                OpenHole(dollars);
            }
            else
            {
                _position += run;
            }
        }
    }

    /// <summary>
    /// At a brace of an interpolated string: <c>{{</c> in a non-raw string is an escaped brace; otherwise the hole's
    /// code is read as tokens up to its closing braces (or its format, which runs to them), and the position goes past them.
    /// </summary>
    private void OpenHole(int braces)
    {
        if (braces == 1 && At(_position + 1) == '{')
        {
            _position += 2;
            return;
        }

        _position += braces;
        var depth = 0;
        while (Next() is { } token)
        {
            var p = token.Kind == CSharpTokenKind.Punctuator ? text[token.Start] : '\0';
            if (p is '(' or '[' or '{')
            {
                depth++;
            }
            else if (p is ')' or ']' || (p == '}' && depth > 0))
            {
                depth--;
            }
            else if (p == '}' || (p == ':' && depth == 0 && At(_position) != ':' && At(token.Start - 1) != ':'))
            {
                _position = text.IndexOf('}', token.Start) is var end and >= 0 ? end : text.Length;
                _position += Math.Min(braces, Run('}', _position));
                return;
            }
        }
    }

    private int Run(char c, int at)
    {
        var end = at;
        while (end < text.Length && text[end] == c)
        {
            end++;
        }

        return end - at;
    }

    private char At(int index) => index >= 0 && index < text.Length ? text[index] : '\0';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c > 127;
}
