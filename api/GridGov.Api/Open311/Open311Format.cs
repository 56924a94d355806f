using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace GridGov.Api.Open311;

/// <summary>The two GeoReport v2 formats, chosen by the path's suffix (<c>.json</c>, <c>.xml</c>).</summary>
public enum Open311Format { Json, Xml }

/// <summary>
/// An Open311 document as ordered fields, written as JSON (snake_case names as given) or XML (the same names as
/// elements). Field values: string, bool, int, double, <see cref="DateTimeOffset"/>, null, <see cref="Open311Object"/>
/// or <see cref="Open311List"/>.
/// </summary>
public sealed class Open311Object
{
    public List<KeyValuePair<string, object?>> Fields { get; } = [];

    public Open311Object Add(string name, object? value)
    {
        Fields.Add(new(name, value));
        return this;
    }
}

/// <summary>A list: a JSON array; in XML its items are elements named <paramref name="ItemName"/>.</summary>
public sealed record Open311List(string ItemName, IReadOnlyList<object?> Items);

/// <summary>A refusal in the GeoReport v2 error format; the HTTP status equals <see cref="Status"/>.</summary>
public sealed class Open311Error(int status, string description) : Exception(description)
{
    public int Status { get; } = status;
}

/// <summary>Writes GeoReport v2 documents and errors.</summary>
public static class Open311Writer
{
    public const string JsonMediaType = "application/json";
    public const string XmlMediaType = "text/xml";

    public static Open311Format? ParseFormat(string? suffix) => suffix?.ToLowerInvariant() switch
    {
        "json" => Open311Format.Json,
        "xml" => Open311Format.Xml,
        _ => null,
    };

    /// <summary>For an unknown suffix: XML when the client asks for XML, else JSON.</summary>
    public static Open311Format Negotiate(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("xml", StringComparison.OrdinalIgnoreCase) ? Open311Format.Xml : Open311Format.Json;

    /// <summary>A document: <paramref name="root"/> is the XML root element (JSON has no root).</summary>
    /// <remarks>JSON keeps non-ASCII text (category names) and '+' unescaped: it is served as application/json only.</remarks>
    public static IResult Write(Open311Format format, string root, object body, int status = StatusCodes.Status200OK) =>
        format == Open311Format.Json
            ? Results.Content(ToJson(body), JsonMediaType + "; charset=utf-8", Encoding.UTF8, status)
            : Results.Content(ToXml(root, body), XmlMediaType + "; charset=utf-8", Encoding.UTF8, status);

    /// <summary><c>[{"code":..,"description":..}]</c> or <c>&lt;errors&gt;&lt;error&gt;...</c>.</summary>
    public static IResult Error(Open311Format format, int status, string description) =>
        Write(format, "errors", new Open311List("error", [new Open311Object().Add("code", status).Add("description", description)]), status);

    public static string ToJson(object body)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(json, body);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteJson(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case double d: json.WriteNumberValue(d); break;
            case DateTimeOffset t: json.WriteStringValue(Timestamp(t)); break;
            case Open311Object o:
                json.WriteStartObject();
                foreach (var (name, field) in o.Fields)
                {
                    json.WritePropertyName(name);
                    WriteJson(json, field);
                }
                json.WriteEndObject();
                break;
            case Open311List list:
                json.WriteStartArray();
                foreach (var item in list.Items) WriteJson(json, item);
                json.WriteEndArray();
                break;
            default: throw new ArgumentException($"Open311 cannot write a {value.GetType().Name}.", nameof(value));
        }
    }

    public static string ToXml(string root, object body)
    {
        var text = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false, CheckCharacters = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(root);
            WriteXmlContent(xml, body);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return text.ToString();
    }

    static void WriteXmlContent(XmlWriter xml, object? value)
    {
        switch (value)
        {
            case null: break;
            case string s: xml.WriteString(XmlSafe(s)); break;
            case bool b: xml.WriteString(b ? "true" : "false"); break;
            case int i: xml.WriteString(i.ToString(CultureInfo.InvariantCulture)); break;
            case double d: xml.WriteString(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: xml.WriteString(Timestamp(t)); break;
            case Open311Object o:
                foreach (var (name, field) in o.Fields)
                {
                    xml.WriteStartElement(name);
                    WriteXmlContent(xml, field);
                    xml.WriteEndElement();
                }
                break;
            case Open311List list:
                foreach (var item in list.Items)
                {
                    xml.WriteStartElement(list.ItemName);
                    WriteXmlContent(xml, item);
                    xml.WriteEndElement();
                }
                break;
            default: throw new ArgumentException($"Open311 cannot write a {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>ISO 8601 / W3C datetime with its offset, e.g. <c>2026-11-23T08:30:00+08:00</c>.</summary>
    public static string Timestamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry (control characters in a user's text), so a document is always well-formed.</summary>
    static string XmlSafe(string s)
    {
        var ok = true;
        for (var i = 0; i < s.Length && ok; i++)
            ok = XmlConvert.IsXmlChar(s[i]) || (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]) && ++i > 0);
        if (ok) return s;
        var b = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i])) b.Append(s[i]);
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i])) { b.Append(s[i]).Append(s[i + 1]); i++; }
        }
        return b.ToString();
    }

    sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }
        public override Encoding Encoding => Encoding.UTF8;
    }
}
