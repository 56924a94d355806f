# GridGov API image. Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t gridgov-api .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish api/GridGov.Api/GridGov.Api.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl is only for container health checks (compose healthcheck / manual probing).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# GraphQL on /graphql, health on /health/live and /health/ready, all on one HTTP port.
ENV ASPNETCORE_HTTP_PORTS=8080
# Non-root: the "app" user that the .NET images ship (APP_UID=1654).
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "GridGov.Api.dll"]
