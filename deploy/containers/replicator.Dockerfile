# syntax=docker/dockerfile:1
# The Stricture replicator (mirror mode). Build from the repository root (docs/deployment.md):
#   docker build -f deploy/containers/replicator.Dockerfile -t stricture-replicator:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Stricture.ServiceDefaults/ Stricture.ServiceDefaults/
COPY Stricture.Storage/ Stricture.Storage/
COPY Stricture.Replicator/ Stricture.Replicator/
RUN dotnet publish Stricture.Replicator/Stricture.Replicator.csproj -c Release -o /app -p:UseAppHost=false
# The data directory's mount point, owned by the app user so that a fresh volume mounted there is writable.
RUN mkdir -p /stricture-data

# Chiseled Ubuntu: the ASP.NET Core runtime and nothing else (no shell, no package manager).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
COPY --from=build --chown=1654:1654 /stricture-data /var/lib/stricture
# Configuration is the environment (docs/configuration.md); these are only a container's defaults:
# the health endpoints on every interface, port 8086, and the data directory it shares with ingest
# at a volume mount point. Health: GET /alive (liveness), GET /health (readiness, Degraded on lag).
ENV ASPNETCORE_HTTP_PORTS=8086 \
    STRICTURE_SERVER_STORAGE_DRIVER=mirror \
    STRICTURE_SERVER_DATA_DIR=/var/lib/stricture
EXPOSE 8086
USER $APP_UID
ENTRYPOINT ["dotnet", "Stricture.Replicator.dll"]
