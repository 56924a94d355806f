using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// A well-formed GraphQL request ({query, operationName, variables, extensions}) as read from an HTTP
/// body, URL parameters or a <c>subscribe</c> payload. Variables and extensions are detached JSON objects.
/// </summary>
internal sealed record GraphQLTransportRequest(
    string Query,
    string? OperationName,
    JsonElement? Variables,
    JsonElement? Extensions)
{
    /// <summary>
    /// Reads a request from a JSON object. Returns false with a client-facing reason when the shape is wrong:
    /// query missing or not a string, operationName not a string, variables/extensions not an object.
    /// </summary>
    public static bool TryRead(
        JsonElement element,
        [NotNullWhen(true)] out GraphQLTransportRequest? request,
        [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "The GraphQL request must be a JSON object.";
            return false;
        }

        if (!element.TryGetProperty("query", out var queryElement) || queryElement.ValueKind != JsonValueKind.String)
        {
            error = "The GraphQL request must have a 'query' string.";
            return false;
        }

        string? operationName = null;
        if (element.TryGetProperty("operationName", out var nameElement))
        {
            if (nameElement.ValueKind == JsonValueKind.String)
            {
                operationName = nameElement.GetString();
            }
            else if (nameElement.ValueKind != JsonValueKind.Null)
            {
                error = "'operationName' must be a string or null.";
                return false;
            }
        }

        if (!TryReadObject(element, "variables", out var variables, out error)
            || !TryReadObject(element, "extensions", out var extensions, out error))
        {
            return false;
        }

        request = new GraphQLTransportRequest(queryElement.GetString()!, operationName, variables, extensions);
        return true;
    }

    /// <summary>
    /// Reads a request from URL parameters (GraphQL-over-HTTP GET): query, operationName, and
    /// variables/extensions as JSON-encoded objects.
    /// </summary>
    public static bool TryReadQueryString(
        IQueryCollection parameters,
        [NotNullWhen(true)] out GraphQLTransportRequest? request,
        [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (!TrySingle(parameters, "query", out var query, out error)
            || !TrySingle(parameters, "operationName", out var operationName, out error)
            || !TrySingle(parameters, "variables", out var variablesText, out error)
            || !TrySingle(parameters, "extensions", out var extensionsText, out error))
        {
            return false;
        }

        if (query is null)
        {
            error = "The GraphQL request must have a 'query' parameter.";
            return false;
        }

        if (!TryParseObjectParameter("variables", variablesText, out var variables, out error)
            || !TryParseObjectParameter("extensions", extensionsText, out var extensions, out error))
        {
            return false;
        }

        request = new GraphQLTransportRequest(query, string.IsNullOrEmpty(operationName) ? null : operationName, variables, extensions);
        return true;
    }

    private static bool TryReadObject(JsonElement parent, string name, out JsonElement? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"'{name}' must be a JSON object or null.";
            return false;
        }

        value = element.Clone();
        return true;
    }

    private static bool TrySingle(IQueryCollection parameters, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!parameters.TryGetValue(name, out var values))
        {
            return true;
        }

        if (values.Count > 1)
        {
            error = $"The '{name}' parameter must not be repeated.";
            return false;
        }

        value = values[0];
        return true;
    }

    private static bool TryParseObjectParameter(string name, string? text, out JsonElement? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"'{name}' must be a JSON-encoded object.";
                return false;
            }

            value = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            error = $"'{name}' is not valid JSON.";
            return false;
        }
    }
}
