using System.Buffers;

namespace CodeRunner.Engine.Runtimes;

/// <summary>The kinds of token <see cref="CSourceLexer"/> tells apart: just enough to find a function definition.</summary>
internal enum CTokenKind
{
    Identifier,
    Number,
    Literal,
    Punctuator,
}

/// <summary>A token of C or C++ source, as a range of its UTF-8 bytes.</summary>
internal readonly record struct CToken(CTokenKind Kind, int Start, int Length);

/// <summary>
/// Splits C or C++ source (UTF-8, read as it is, never decoded) into tokens in one forward pass: comments,
/// preprocessor lines, and string and character literals are skipped or returned whole, so that nothing inside them
/// looks like code. The only second look is at a raw string's closing delimiter, at most 18 bytes, so it stays linear.
/// </summary>
internal ref struct CSourceLexer
{
    private const int MaxRawDelimiter = 16;

    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\v\f"u8);
    private static readonly SearchValues<byte> NotInRawDelimiter = SearchValues.Create(" ()\\\"\t\r\n\v\f"u8);

    /// <summary>ASCII letters, digits, _ and $, and every byte of a multi-byte UTF-8 character (C23 and C++ allow letters).</summary>
    private static readonly SearchValues<byte> IdentifierBytes =
        SearchValues.Create([.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$"u8, .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    private readonly ReadOnlySpan<byte> _text;
    private int _position;
    private bool _atLineStart = true;
    private bool _inDirective;

    public CSourceLexer(ReadOnlySpan<byte> text)
    {
        _text = text;
        _position = text.StartsWith("\uFEFF"u8) ? 3 : 0;
    }

    public bool Next(out CToken token)
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            var next = _position + 1 < _text.Length ? _text[_position + 1] : (byte)0;
            if (c == '\n')
            {
                _position++;
                _atLineStart = true;
                _inDirective = false;
            }
            else if (c == '\\' && SpliceLength(_position) is > 0 and var splice)
            {
                // A backslash at the end of a line joins the next line to this one (a #define goes on).
                _position += splice;
            }
            else if (Blanks.Contains(c))
            {
                _position = After(_text[_position..].IndexOfAnyExcept(Blanks));
            }
            else if (c == '/' && next == '/')
            {
                SkipLineComment();
            }
            else if (c == '/' && next == '*')
            {
                var end = _text[(_position + 2)..].IndexOf("*/"u8);
                _position = end < 0 ? _text.Length : _position + 2 + end + 2;
            }
            else if (c == '#' && _atLineStart)
            {
                _position++;
                _inDirective = true;
                _atLineStart = false;
            }
            else
            {
                _atLineStart = false;
                token = Read(c, next);
                if (!_inDirective)
                {
                    return true;
                }
            }
        }

        token = default;
        return false;
    }

    private CToken Read(byte c, byte next)
    {
        var start = _position;
        if (IdentifierBytes.Contains(c) && !char.IsAsciiDigit((char)c))
        {
            _position = After(_text[_position..].IndexOfAnyExcept(IdentifierBytes));
            if (_position < _text.Length && _text[_position] == '"' && IsRawPrefix(_text[start.._position]) && SkipRawString())
            {
                return new CToken(CTokenKind.Literal, start, _position - start);
            }

            return new CToken(CTokenKind.Identifier, start, _position - start);
        }

        if (char.IsAsciiDigit((char)c) || (c == '.' && char.IsAsciiDigit((char)next)))
        {
            SkipNumber();
            return new CToken(CTokenKind.Number, start, _position - start);
        }

        if (c is (byte)'"' or (byte)'\'')
        {
            SkipQuoted(c);
            return new CToken(CTokenKind.Literal, start, _position - start);
        }

        _position++;
        return new CToken(CTokenKind.Punctuator, start, 1);
    }

    private void SkipLineComment()
    {
        // A line comment ends at the end of its line, unless a backslash joins the next line to it.
        while (_position < _text.Length)
        {
            _position = After(_text[_position..].IndexOfAny((byte)'\n', (byte)'\\'));
            if (_position >= _text.Length || _text[_position] == '\n')
            {
                return;
            }

            _position += SpliceLength(_position) is > 0 and var splice ? splice : 1;
        }
    }

    private void SkipNumber()
    {
        // A pp-number: digits, letters, dots, exponent signs, and C++14's digit separators (1'000), which must not
        // start a character literal.
        _position++;
        while (_position < _text.Length)
        {
            var c = (char)_text[_position];
            var previous = (char)_text[_position - 1];
            var isPart = char.IsAsciiLetterOrDigit(c) || c is '_' or '.'
                || (c is '+' or '-' && previous is 'e' or 'E' or 'p' or 'P')
                || (c == '\'' && _position + 1 < _text.Length && char.IsAsciiLetterOrDigit((char)_text[_position + 1]));
            if (!isPart)
            {
                return;
            }

            _position++;
        }
    }

    private void SkipQuoted(byte quote)
    {
        // An unterminated literal ends at the end of its line, as the compiler reports it.
        _position++;
        while (_position < _text.Length)
        {
            _position = After(_text[_position..].IndexOfAny(quote, (byte)'\\', (byte)'\n'));
            if (_position >= _text.Length || _text[_position] == '\n')
            {
                return;
            }

            if (_text[_position] == quote)
            {
                _position++;
                return;
            }

            // A backslash escapes the byte after it (a newline too: the literal goes on, on the next line).
            _position += 2;
        }

        _position = _text.Length;
    }

    private bool SkipRawString()
    {
        // R"delimiter( ... )delimiter": the delimiter is at most 16 bytes, so finding the end stays linear.
        var open = _position + 1;
        var length = _text[open..Math.Min(_text.Length, open + MaxRawDelimiter + 1)].IndexOf((byte)'(');
        if (length is < 0 or > MaxRawDelimiter || _text.Slice(open, length).ContainsAny(NotInRawDelimiter))
        {
            return false;
        }

        var delimiter = _text.Slice(open, length);
        var body = open + length + 1;
        for (var close = _text[body..].IndexOf((byte)')'); close >= 0; close = _text[body..].IndexOf((byte)')'))
        {
            var after = body + close + 1;
            if (_text[after..].StartsWith(delimiter) && after + length < _text.Length && _text[after + length] == '"')
            {
                _position = after + length + 1;
                return true;
            }

            body = after;
        }

        _position = _text.Length;
        return true;
    }

    /// <summary>The position an IndexOf result relative to the current position stands for; the end when not found.</summary>
    private readonly int After(int found) => found < 0 ? _text.Length : _position + found;

    private readonly int SpliceLength(int at) =>
        at + 1 < _text.Length && _text[at + 1] == '\n' ? 2
        : at + 2 < _text.Length && _text[at + 1] == '\r' && _text[at + 2] == '\n' ? 3
        : 0;

    private static bool IsRawPrefix(ReadOnlySpan<byte> identifier) =>
        identifier.SequenceEqual("R"u8) || identifier.SequenceEqual("LR"u8) || identifier.SequenceEqual("uR"u8)
        || identifier.SequenceEqual("UR"u8) || identifier.SequenceEqual("u8R"u8);
}
