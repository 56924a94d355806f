using GraphQL;
using GridGov.Api.GraphQL.Schema;
using GridGov.Api.GraphQL.Transport;

namespace GridGov.Api.GraphQL;

public static class GraphQLHosting
{
    /// <summary>The GridGov schema on our own transport, with typed errors.</summary>
    public static WebApplicationBuilder AddGridGovGraphQL(this WebApplicationBuilder builder, Action<GraphQLTransportOptions>? configure = null)
    {
        var documents = new DocumentCache();
        builder.Services.AddSingleton(documents);
        builder.Services.AddSingleton<PointCells>();
        builder.Services.AddGraphQL(b => b
            .AddSchema<GridGovSchema>()
            .AddGraphTypes()
            .AddClrTypeMappings()
            .AddAutoClrMappings(mapInputTypes: false, mapOutputTypes: true)
            .AddErrorInfoProvider<GridGovErrorInfoProvider>()
            .ConfigureExecution(documents)
            .AddSystemTextJson(o => o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping));
        builder.Services.AddGraphQLTransport(o =>
        {
            o.EnableIntrospection = builder.Configuration.GetValue("GridGov:GraphQL:Introspection", true);
            o.MapException = GridGovErrors.FromException;
            configure?.Invoke(o);
        });
        return builder;
    }
}
