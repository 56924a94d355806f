# GridGov silo image. Build from the repository root:
#   docker build -f deploy/silo.Dockerfile -t gridgov-silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish silo/GridGov.Silo/GridGov.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl is only for container health checks (compose healthcheck / manual probing).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Inside a container the silo must listen on every interface and answer health probes from outside the
# container; GridGov:AdvertisedAddress (the address other silos and clients dial) is set per container/pod.
ENV GridGov__ListenOnAnyAddress=true \
    GridGov__HealthUrls=http://0.0.0.0:8081 \
    GridGov__SiloPort=11111 \
    GridGov__GatewayPort=30000
# Non-root: the "app" user that the .NET images ship (APP_UID=1654).
USER $APP_UID
# 11111 silo-to-silo, 30000 client gateway, 8081 /health/live and /health/ready
EXPOSE 11111 30000 8081
ENTRYPOINT ["dotnet", "GridGov.Silo.dll"]
