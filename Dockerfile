# syntax=docker/dockerfile:1
# One file, three images, each a target: gateway, sample-api, captcha-simulator.
#   docker build --target gateway -t fraudgateway .
# Build with the .NET SDK; run on the ASP.NET runtime image (no SDK in it) as its non-root "app" user.
# Configuration comes from environment variables only (FraudGateway__..., ConnectionStrings__Redis, ...).
# scripts/check-dockerfile.sh (run by test.sh) checks that every COPY source exists and every ENTRYPOINT is published.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# global.json is left out: it pins this repository's SDK band, the image brings its own 10.0 SDK.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY models/ models/
# The TLS client corpus the gateway embeds (Tls/TlsStacks).
COPY data/tls-clients/ data/tls-clients/
RUN dotnet publish src/FraudGateway/FraudGateway.csproj -c Release -o /out/gateway --nologo \
 && dotnet publish src/SampleApi/SampleApi.csproj -c Release -o /out/sample-api --nologo \
 && dotnet publish src/CaptchaSimulator/CaptchaSimulator.csproj -c Release -o /out/captcha-simulator --nologo

# The gateway: the shipped model (models/fraudgateway.zip) and data files are in the publish output.
# Public port 8080, management port 8081 (expose the management port to your network deliberately or not at all).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS gateway
WORKDIR /app
COPY --from=build /out/gateway ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    Urls=http://+:8080 \
    FraudGateway__Management__Url=http://0.0.0.0:8081
EXPOSE 8080 8081
USER app
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "/app/FraudGateway.dll", "healthcheck", "http://127.0.0.1:8081/healthz"]
ENTRYPOINT ["dotnet", "/app/FraudGateway.dll"]

# The demo upstream.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS sample-api
WORKDIR /app
COPY --from=build /out/sample-api ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "/app/SampleApi.dll"]

# The siteverify simulator (tests and load tests only).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS captcha-simulator
WORKDIR /app
COPY --from=build /out/captcha-simulator ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "/app/CaptchaSimulator.dll"]
