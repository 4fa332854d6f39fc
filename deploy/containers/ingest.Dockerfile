# syntax=docker/dockerfile:1
# The Stricture ingest API. Build from the repository root (docs/deployment.md):
#   docker build -f deploy/containers/ingest.Dockerfile -t stricture-ingest:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Stricture.ServiceDefaults/ Stricture.ServiceDefaults/
COPY Stricture.Storage/ Stricture.Storage/
COPY Stricture.Ingest/ Stricture.Ingest/
RUN dotnet publish Stricture.Ingest/Stricture.Ingest.csproj -c Release -o /app -p:UseAppHost=false
# The data directory's mount point, owned by the app user so that a fresh volume mounted there is writable.
RUN mkdir -p /stricture-data

# Chiseled Ubuntu: the ASP.NET Core runtime and nothing else (no shell, no package manager).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
COPY --from=build --chown=1654:1654 /stricture-data /var/lib/stricture
# Configuration is the environment (docs/configuration.md); these are only a container's defaults:
# every interface on the spec's port (so token auth is required: unauthenticated mode refuses to
# start off loopback), the data directory at a volume mount point, and no second binding from the
# base image's ASPNETCORE_HTTP_PORTS. Health: GET /alive (liveness), GET /health (readiness).
ENV STRICTURE_SERVER_ADDR=:8085 \
    STRICTURE_SERVER_DATA_DIR=/var/lib/stricture \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 8085
# The images' non-root "app" user, by number so that runAsNonRoot can verify it.
USER $APP_UID
ENTRYPOINT ["dotnet", "Stricture.Ingest.dll"]
