# ProxyHost as a container image: the single-user image of a JupyterHub on Kubernetes, or one
# container per person anywhere. Build from the repository root:
#   docker build -t proxyhost .
#   docker run --rm -p 127.0.0.1:8888:8888 -v "$PWD/examples/proxyhost.json:/etc/proxyhost/proxyhost.json:ro" proxyhost
# The tools ProxyHost starts must be in the image too: build your own image FROM this one and
# install them (see docs/deploy.md).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ProxyHost.Cli -c Release --use-current-runtime -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# util-linux (setsid, setpriv, prlimit) lets ProxyHost stop whole process trees and apply limits;
# python3 runs the example's http.server.
RUN apt-get update && apt-get install -y --no-install-recommends util-linux procps python3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /opt/proxyhost
# The image's own unprivileged user (uid 1000, as Zero to JupyterHub's singleuser images use), with a
# home for ProxyHost's private state (~/.local/state/proxyhost, 0700).
RUN useradd --create-home --uid 1000 --shell /bin/bash proxyhost
USER proxyhost
WORKDIR /home/proxyhost
ENV PROXYHOST_CONFIG=/etc/proxyhost/proxyhost.json
EXPOSE 8888
# --ip 0.0.0.0: inside a container the published port arrives on the container's interface. Under
# JupyterHub, JUPYTERHUB_SERVICE_URL sets address and port instead.
ENTRYPOINT ["/opt/proxyhost/proxyhost", "serve", "--config", "/etc/proxyhost/proxyhost.json", "--ip", "0.0.0.0", "--port", "8888"]
