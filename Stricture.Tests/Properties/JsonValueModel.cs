using System.Globalization;
using System.Text;

namespace Stricture.Tests.Properties;

/// <summary>
/// A JSON value as a tree, rendered to text in many equivalent ways: the property tests compare the
/// canonical form of two renderings of one tree. <see cref="Render"/> varies exactly what the
/// canonical form is documented to ignore (insignificant whitespace and how strings are escaped)
/// and keeps what it keeps (member order, number text).
/// </summary>
internal abstract record JsonValueModel
{
    public sealed record Object(IReadOnlyList<(string Name, JsonValueModel Value)> Members) : JsonValueModel;

    public sealed record Array(IReadOnlyList<JsonValueModel> Items) : JsonValueModel;

    public sealed record String(string Text) : JsonValueModel;

    public sealed record Number(string Text) : JsonValueModel;

    public sealed record Literal(string Text) : JsonValueModel;

    /// <summary>This value as JSON text, its whitespace and string escapes chosen by <paramref name="formatting"/>.</summary>
    public string Render(int formatting)
    {
        var text = new StringBuilder();
        Write(text, this, new Random(formatting));
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonValueModel value, Random formatting)
    {
        Space(text, formatting);
        switch (value)
        {
            case Object o:
                text.Append('{');
                for (var i = 0; i < o.Members.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    Space(text, formatting);
                    Quote(text, o.Members[i].Name, formatting);
                    Space(text, formatting);
                    text.Append(':');
                    Write(text, o.Members[i].Value, formatting);
                }
                Space(text, formatting);
                text.Append('}');
                break;
            case Array a:
                text.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    Write(text, a.Items[i], formatting);
                }
                Space(text, formatting);
                text.Append(']');
                break;
            case String s:
                Quote(text, s.Text, formatting);
                break;
            case Number n:
                text.Append(n.Text);
                break;
            case Literal l:
                text.Append(l.Text);
                break;
        }
        Space(text, formatting);
    }

    private static void Space(StringBuilder text, Random formatting)
    {
        var count = formatting.Next(4) == 0 ? formatting.Next(1, 4) : 0;
        for (var i = 0; i < count; i++)
        {
            text.Append(" \t\r\n"[formatting.Next(4)]);
        }
    }

    /// <summary>A string literal: each character raw where JSON allows it, else (or by chance) escaped.</summary>
    private static void Quote(StringBuilder text, string value, Random formatting)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var character = value[i];
            if (char.IsHighSurrogate(character) && i + 1 < value.Length)
            {
                // A surrogate pair is one character: raw as a whole, or both halves escaped.
                var low = value[++i];
                text.Append(formatting.Next(2) == 0
                    ? $"{character}{low}"
                    : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}\\u{(int)low:x4}"));
                continue;
            }
            var mustEscape = character is '"' or '\\' || character < 0x20;
            if (!mustEscape && formatting.Next(5) != 0)
            {
                text.Append(character);
            }
            else if (character is '"' or '\\' && formatting.Next(2) == 0)
            {
                text.Append('\\').Append(character);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}");
            }
        }
        text.Append('"');
    }
}
