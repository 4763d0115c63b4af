#!/usr/bin/env bash
# Serves the echo app on 127.0.0.1:PORT with authentication off:
#   examples/narvi-echo/run.sh 8999   then open http://127.0.0.1:8999/narvi/demo/echo/any-id/index.html
set -euo pipefail
port="${1:?usage: run.sh PORT}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/src/ProxyHost.Cli" -v quiet -nologo -clp:NoSummary >&2
dotnet build "$here/NarviEcho.csproj" -v quiet -nologo -clp:NoSummary -o "$here/out" >&2
exec dotnet "$root/src/ProxyHost.Cli/bin/Debug/net10.0/proxyhost.dll" serve --no-token --ip 127.0.0.1 --port "$port" --config "$here/proxyhost.json"
