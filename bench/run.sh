#!/usr/bin/env bash
# bench/run.sh — ProxyHost side by side with its peers, interleaved: nginx, configurable-http-proxy (CHP,
# JupyterHub's proxy, from npm, its route added through its REST API), Debian's websockify (for the raw
# bridge), YARP alone (bench/YarpAlone: the library ProxyHost forwards with, one static route, nothing else)
# and no proxy at all.
#
#   bench/run.sh                 full run (≈ 12 min), writes bench/results/latest.md
#   BENCH_QUICK=1 bench/run.sh   quick A/B run (≈ 4–7 min), writes bench/results/quick.md
#
# Environment (all optional):
#   BENCH_DURATION=10    seconds per wrk / websocket / bridge measurement (quick: 3)
#   BENCH_ROUNDS=3       interleaved rounds (direct, nginx, ProxyHost, direct, ...); medians are reported
#   BENCH_COLD_REPS=10   cold starts (quick: 5)
#   BENCH_WARMUP=30      seconds of load on ProxyHost before measuring, for JIT tiering (quick: 20)
#   BENCH_SECTIONS="http ws bridge firstclick cold rss"   which parts to run
#   BENCH_PROXYHOST_BUILD=r2r    r2r: ProxyHost published for this machine, ReadyToRun (README, Dockerfile); jit: plain build
#   BENCH_HTTP="1kb:32 1kb:128 1mb:32 1mb:128"  which HTTP size:connections runs
#   BENCH_OUT=PATH       where the markdown goes
#   BENCH_PROXYHOST_ENV="DOTNET_gcServer=0 ..."   extra environment for ProxyHost only (for A/B of runtime knobs)
#
# Everything listens on 127.0.0.1; every wait is bounded; whatever it starts is stopped on exit or Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  DURATION=${BENCH_DURATION:-3}; ROUNDS=${BENCH_ROUNDS:-3}; COLD_REPS=${BENCH_COLD_REPS:-5}; WARMUP=${BENCH_WARMUP:-20}
  OUT=${BENCH_OUT:-bench/results/quick.md}
else
  DURATION=${BENCH_DURATION:-10}; ROUNDS=${BENCH_ROUNDS:-3}; COLD_REPS=${BENCH_COLD_REPS:-10}; WARMUP=${BENCH_WARMUP:-30}
  OUT=${BENCH_OUT:-bench/results/latest.md}
fi
SECTIONS=" ${BENCH_SECTIONS:-http ws bridge firstclick cold rss} "
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
has() { [[ "$SECTIONS" == *" $1 "* ]]; }

# --- what it needs --------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
command -v pgrep >/dev/null || need+=(procps)
command -v websockify >/dev/null || need+=(websockify)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/python3 ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "bench/run.sh: ${need[*]} missing; run as root (or install them) first" >&2; exit 1; }
  log "installing ${need[*]}"
  # Debian starts nginx as a system service on install; this run wants only its own instance.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created_policy=1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
CHP_VERSION=5.3.0
CHP=$ROOT/bench/.peers/node_modules/configurable-http-proxy/bin/configurable-http-proxy
if [ ! -x "$CHP" ] || ! grep -q "\"version\": \"$CHP_VERSION\"" "$ROOT/bench/.peers/node_modules/configurable-http-proxy/package.json"; then
  log "installing configurable-http-proxy $CHP_VERSION from npm into bench/.peers"
  npm install --prefix "$ROOT/bench/.peers" --no-audit --no-fund --silent "configurable-http-proxy@$CHP_VERSION" >&2
fi

# --- build ----------------------------------------------------------------------------------------
log "building ProxyHost, the backend and the load generator (Release)"
for project in bench/Backend bench/LoadGen bench/YarpAlone; do
  dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
done
PROXYHOST_BUILD=${BENCH_PROXYHOST_BUILD:-r2r}
case $PROXYHOST_BUILD in
  r2r) dotnet publish src/ProxyHost.Cli -c Release --use-current-runtime -o "$ROOT/bench/.build/proxyhost-r2r" \
         -nologo -v quiet -clp:ErrorsOnly >&2
       PROXYHOST=$ROOT/bench/.build/proxyhost-r2r/proxyhost ;;
  jit) dotnet build src/ProxyHost.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >&2
       PROXYHOST=$ROOT/src/ProxyHost.Cli/bin/Release/net10.0/proxyhost ;;
  *) echo "bench/run.sh: BENCH_PROXYHOST_BUILD is r2r or jit, not '$PROXYHOST_BUILD'" >&2; exit 2 ;;
esac
BACKEND=$ROOT/bench/Backend/bin/Release/net10.0/Backend
LOADGEN=$ROOT/bench/LoadGen/bin/Release/net10.0/LoadGen
YARP_ALONE=$ROOT/bench/YarpAlone/bin/Release/net10.0/YarpAlone

# --- start everything -----------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/proxyhost-bench.XXXXXX)
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# waits (bounded) until an HTTP GET answers 2xx
wait_http() {
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench/run.sh: $1 did not answer within 30 s" >&2; return 1
}
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

read -r BK_PORT ECHO_PORT NG_PORT PH_PORT YA_PORT CHP_PORT CHP_API_PORT WSF_PORT < <("$LOADGEN" free-ports --count 8)

"$BACKEND" --port "$BK_PORT" --tcp-echo-port "$ECHO_PORT" >"$TMP/backend.log" 2>&1 &
BK_PID=$!
PIDS+=("$BK_PID")

mkdir -p "$TMP/nginx"
cat >"$TMP/nginx.conf" <<EOF
# A reverse proxy tuned the usual way: keepalive pool to the upstream, no access log, responses streamed.
daemon off;
worker_processes auto;
worker_rlimit_nofile 20000;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 8192; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  upstream backend {
    server 127.0.0.1:$BK_PORT;
    keepalive 256;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$NG_PORT backlog=4096;
    proxy_http_version 1.1;
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    # Streamed, as ProxyHost and CHP do: with nginx's response buffering (default buffers, or 16 × 64k
    # without temp files) 1 MB responses ran at 150–800 req/s here. Unbuffered, nginx reads the upstream in
    # proxy_buffer_size pieces, and its default (one page) held 1 MB responses to about 650 req/s; with 64k,
    # about 1,300 (wrk -c32 and -c128 against nginx alone, side by side).
    proxy_buffering off;
    proxy_buffer_size 64k;
    proxy_buffers 4 64k;
    proxy_busy_buffers_size 128k;
    location / {
      proxy_pass http://backend;
      proxy_set_header Connection "";
    }
    location /ws {
      proxy_pass http://backend;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 3600s;
    }
  }
}
EOF
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP/nginx" >"$TMP/nginx/stdout.log" 2>&1 &
NG_PID=$!
PIDS+=("$NG_PID")

# The measured server ("bk") has a fixed port and no command: supervision is not in the timed path.
# "cold" has a command: ProxyHost starts it on its first request (the cold-start measurement).
cat >"$TMP/proxyhost.json" <<EOF
{
  "servers": {
    "bk": { "port": $BK_PORT },
    "tcp": { "port": $ECHO_PORT, "raw_socket_proxy": true },
    "cold": { "command": ["$BACKEND", "--port", "<port>"], "timeout": 30 }
  }
}
EOF
# Every load comes from one address, and the 1,000-websocket measurement needs more than the
# per-client default of 256 connections, so the limit is lifted for the benchmark.
# shellcheck disable=SC2086 # BENCH_PROXYHOST_ENV is a list of NAME=value words
env ${BENCH_PROXYHOST_ENV:-} "$PROXYHOST" serve --config "$TMP/proxyhost.json" --ip 127.0.0.1 --port "$PH_PORT" --no-token \
  --no-arbitrary-ports --max-connections-per-client 0 >"$TMP/proxyhost.log" 2>&1 &
PH_PID=$!
PIDS+=("$PH_PID")

"$YARP_ALONE" --port "$YA_PORT" --backend "http://127.0.0.1:$BK_PORT" >"$TMP/yarp.log" 2>&1 &
YA_PID=$!
PIDS+=("$YA_PID")

# CHP as JupyterHub runs it: routes added through the REST API; --no-include-prefix so /bk/1kb reaches the backend as /1kb.
CHP_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
CONFIGPROXY_AUTH_TOKEN=$CHP_TOKEN node "$CHP" --ip 127.0.0.1 --port "$CHP_PORT" --api-ip 127.0.0.1 --api-port "$CHP_API_PORT" \
  --no-include-prefix --log-level error >"$TMP/chp.log" 2>&1 &
CHP_PID=$!
PIDS+=("$CHP_PID")
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null --max-time 1 -X POST -H "Authorization: token $CHP_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"target\": \"http://127.0.0.1:$BK_PORT\"}" "http://127.0.0.1:$CHP_API_PORT/api/routes/bk" 2>/dev/null && break
  sleep 0.1
done

websockify 127.0.0.1:"$WSF_PORT" 127.0.0.1:"$ECHO_PORT" >"$TMP/websockify.log" 2>&1 &
WSF_PID=$!
PIDS+=("$WSF_PID")

declare -A URL=([direct]="http://127.0.0.1:$BK_PORT" [nginx]="http://127.0.0.1:$NG_PORT" [chp]="http://127.0.0.1:$CHP_PORT/bk"
  [yarp]="http://127.0.0.1:$YA_PORT/bk" [proxyhost]="http://127.0.0.1:$PH_PORT/bk")
TARGETS=(direct nginx chp yarp proxyhost)
for t in "${TARGETS[@]}"; do wait_http "${URL[$t]}/1kb"; done
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$WSF_PORT") 2>/dev/null && break; sleep 0.1; done
log "backend :$BK_PORT (tcp echo :$ECHO_PORT), nginx :$NG_PORT, CHP :$CHP_PORT, websockify :$WSF_PORT, YARP alone :$YA_PORT, ProxyHost :$PH_PORT (pid $PH_PID, $PROXYHOST_BUILD build); load average $LOAD_AT_START"

RAW=$TMP/raw.tsv
: >"$RAW"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RAW"; }
rss_mb() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$PH_PID/status"; }
# "key value" lines from LoadGen -> raw rows
record_kv() { while read -r key value; do [ -n "${value:-}" ] && record "$1" "$2" "$3" "$key" "$value"; done; }

record rss proxyhost 1 idle_mb "$(rss_mb)"

# CPU time (clock ticks) of the processes serving a target: the backend itself, nginx's master and workers,
# CHP's node, websockify and the per-connection children it forks (live ones, and the reaped ones through
# its cutime/cstime), YARP alone, ProxyHost
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
  local pids
  case $1 in
    direct) pids=$BK_PID ;;
    nginx) pids="$NG_PID $(pgrep -P "$NG_PID" | tr '\n' ' ')" ;;
    chp) pids=$CHP_PID ;;
    websockify) pids="$WSF_PID $(pgrep -P "$WSF_PID" | tr '\n' ' ')" ;;
    yarp) pids=$YA_PID ;;
    proxyhost) pids=$PH_PID ;;
  esac
  # shellcheck disable=SC2086
  (cd /proc && cat $(printf '%s/stat ' $pids)) 2>/dev/null | sed 's/^.*) //' | awk '{ sum += $12 + $13 + $14 + $15 } END { print sum + 0 }'
}

# a LoadGen run whose "key value" lines are recorded, plus the target's CPU per unit of work:
# per=cpu_us_per_msg with unit=messages, or per=cpu_us_per_mb with unit=mb_total
loadgen_cpu() { # section target round per unit loadgen-arguments...
  local section=$1 target=$2 r=$3 per=$4 unit=$5 before after out units
  shift 5
  before=$(cpu_ticks "$target")
  out=$("$LOADGEN" "$@") || { log "LoadGen failed: $section $target"; return 0; }
  after=$(cpu_ticks "$target")
  grep -v "^$unit " <<<"$out" | record_kv "$section" "$target" "$r"
  units=$(awk -v k="$unit" '$1 == k { print $2 }' <<<"$out")
  awk -v ticks=$((after - before)) -v hz="$CLK_TCK" -v u="${units:-0}" -v s="$section" -v t="$target" -v r="$r" -v per="$per" \
    'BEGIN { if (u > 0) printf "%s\t%s\t%s\t%s\t%.2f\n", s, t, r, per, ticks / hz * 1e6 / u }' >>"$RAW"
}

# wrk --latency output -> rps, mb_per_sec, p50_ms, p99_ms, errors, and the serving process's CPU per request
run_wrk() { # section target round connections url
  local out before after
  before=$(cpu_ticks "$2")
  out=$(timeout $((DURATION + 30)) wrk -t2 -c"$4" -d"${DURATION}s" --timeout 10s --latency "$5") || { log "wrk failed: $1 $2"; return 0; }
  after=$(cpu_ticks "$2")
  awk -v s="$1" -v t="$2" -v r="$3" -v ticks=$((after - before)) -v hz="$CLK_TCK" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    function mb(v) { if (v ~ /GB$/) return v * 1024; if (v ~ /MB$/) return v + 0; if (v ~ /KB$/) return v / 1024; return v / 1048576 }
    $1 == "50%" { printf "%s\t%s\t%s\tp50_ms\t%.3f\n", s, t, r, ms($2) }
    $1 == "99%" { printf "%s\t%s\t%s\tp99_ms\t%.3f\n", s, t, r, ms($2) }
    $1 == "Requests/sec:" { printf "%s\t%s\t%s\trps\t%s\n", s, t, r, $2 }
    $1 == "Transfer/sec:" { printf "%s\t%s\t%s\tmb_per_sec\t%.1f\n", s, t, r, mb($2) }
    $2 == "requests" && $3 == "in" && $1 > 0 { printf "%s\t%s\t%s\tcpu_us_per_req\t%.1f\n", s, t, r, ticks / hz * 1e6 / $1 }
    /Non-2xx|Socket errors/ { bad = 1 }
    END { printf "%s\t%s\t%s\terrors\t%d\n", s, t, r, bad }' <<<"$out" >>"$RAW"
}

# max RSS of ProxyHost while a command runs (sampled every 0.5 s)
with_rss_max() { # metric command...
  local metric=$1; shift
  local file=$TMP/rss.max
  echo 0 >"$file"
  ( for _ in $(seq 1 $((DURATION * 2 + 60))); do
      v=$(rss_mb); awk -v v="$v" '{ if (v > $1) print v; else print $1 }' "$file" >"$file.new" && mv "$file.new" "$file"
      sleep 0.5
    done ) &
  local sampler=$!
  "$@"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  record rss proxyhost "$round" "$metric" "$(cat "$file")"
}

declare -A BRIDGE=([websockify]="ws://127.0.0.1:$WSF_PORT/" [proxyhost]="ws://127.0.0.1:$PH_PORT/tcp/")
read -r -a HTTP_TESTS <<<"${BENCH_HTTP:-1kb:32 1kb:128 1mb:32 1mb:128}"
# .NET tiers hot code up in the background (tier 0, instrumented, then optimized); on a busy 2-core
# machine that takes tens of seconds, so ProxyHost (and the backend, through every target) get a
# warm-up of WARMUP seconds before anything is measured: the figures are steady state.
log "warming up for about $((WARMUP + 12)) s (JIT tiering, connection pools)"
for t in "${TARGETS[@]}"; do
  if has http; then
    w=2; case $t in yarp|proxyhost) w=$WARMUP ;; esac
    timeout $((w + 30)) wrk -t2 -c128 -d"${w}s" "${URL[$t]}/1kb" >/dev/null
    timeout 30 wrk -t2 -c32 -d1s "${URL[$t]}/1mb" >/dev/null
  fi
  if has ws; then
    "$LOADGEN" ws-echo --url "${URL[$t]/http:/ws:}/ws" --connections 50 --duration 2 --timeout 60 >/dev/null || true
  fi
done
if has bridge; then
  for t in websockify proxyhost; do
    "$LOADGEN" stream --ws "${BRIDGE[$t]}" --connections 4 --duration 1 --timeout 60 >/dev/null || true
  done
fi

for round in $(seq 1 "$ROUNDS"); do
  if has http; then
    for test in "${HTTP_TESTS[@]}"; do
      size=${test%%:*}; conns=${test##*:}
      for t in "${TARGETS[@]}"; do
        log "round $round/$ROUNDS: HTTP $size c$conns $t"
        if [ "$t" = proxyhost ] && [ "$conns" = 128 ]; then
          with_rss_max "load_${size}_mb" run_wrk "http-$size-c$conns" "$t" "$round" "$conns" "${URL[$t]}/$size"
        else
          run_wrk "http-$size-c$conns" "$t" "$round" "$conns" "${URL[$t]}/$size"
        fi
      done
    done
  fi
  if has ws; then
    for t in "${TARGETS[@]}"; do
      log "round $round/$ROUNDS: websocket echo c50 $t"
      loadgen_cpu ws-echo-c50 "$t" "$round" cpu_us_per_msg messages \
        ws-echo --url "${URL[$t]/http:/ws:}/ws" --connections 50 --duration "$DURATION" --timeout $((DURATION + 60))
    done
  fi
  if has bridge; then
    log "round $round/$ROUNDS: TCP echo direct"
    loadgen_cpu bridge direct "$round" cpu_us_per_mb mb_total \
      stream --tcp "127.0.0.1:$ECHO_PORT" --connections 4 --duration "$DURATION" --timeout $((DURATION + 60))
    for t in websockify proxyhost; do
      log "round $round/$ROUNDS: TCP echo through $t's websocket bridge"
      loadgen_cpu bridge "$t" "$round" cpu_us_per_mb mb_total \
        stream --ws "${BRIDGE[$t]}" --connections 4 --duration "$DURATION" --timeout $((DURATION + 60))
      loadgen_cpu bridge-rtt "$t" "$round" cpu_us_per_msg messages \
        ws-echo --url "${BRIDGE[$t]}" --connections 10 --duration "$DURATION" --timeout $((DURATION + 60))
    done
  fi
done

if has firstclick; then
  log "first click x$COLD_REPS: a fresh proxyhost serve each time (python http.server alone, then through it, interleaved)"
  extra_env=${BENCH_PROXYHOST_ENV:-}
  "$LOADGEN" first-click --proxyhost "$PROXYHOST" --python /usr/bin/python3 --reps "$COLD_REPS" --timeout 600 \
    --env "${extra_env// /,}" | record_kv first-click proxyhost 1 || log "LoadGen failed"
fi

if has cold; then
  log "cold start x$COLD_REPS (backend alone, then through ProxyHost, interleaved)"
  "$LOADGEN" cold --backend "$BACKEND" --proxy "http://127.0.0.1:$PH_PORT/" --server cold --reps "$COLD_REPS" --timeout 300 \
    | record_kv cold proxyhost 1 || log "LoadGen failed"
fi

if has rss; then
  log "1,000 websockets open through ProxyHost"
  hold=$TMP/hold.out
  "$LOADGEN" ws-hold --url "ws://127.0.0.1:$PH_PORT/bk/ws" --count 1000 --hold 20 --timeout 120 >"$hold" 2>&1 &
  holder=$!
  PIDS+=("$holder")
  for _ in $(seq 1 600); do grep -q '^open' "$hold" && break; kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
  if grep -q '^open' "$hold"; then
    sleep 2
    record rss proxyhost 1 ws1000_mb "$(rss_mb)"
    record rss proxyhost 1 ws1000_open "$(awk '/^open/{print $2}' "$hold")"
  else
    log "the 1,000 websockets did not open: $(tail -3 "$hold")"
  fi
  wait "$holder" 2>/dev/null || true
  sleep 2
  record rss proxyhost 1 idle_after_mb "$(rss_mb)"
fi

# --- report ---------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench 2>/dev/null || echo "-dirty")
cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/{printf "%.1f GB", $2/1048576}' /proc/meminfo)
cat >"$TMP/meta.md" <<EOF
# ProxyHost benchmark

- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: \`$commit\`; command: \`${BENCH_QUICK:+BENCH_QUICK=$BENCH_QUICK }bench/run.sh\`
- machine: $(nproc) cores, ${cpu:-unknown CPU}, $mem; $(uname -sr); $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)
- load average at start: $LOAD_AT_START; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share this machine: compare the ratios, not the absolute numbers)
- $ROUNDS interleaved rounds (direct, nginx, CHP, YARP alone, ProxyHost, …) of ${DURATION} s each; medians shown. wrk -t2 --latency; websockets and TCP by bench/LoadGen (50 echo connections, 64-byte messages; 4 TCP streams of 64 KiB messages; the bridge round trip with 10 connections of 64-byte messages). ProxyHost: \`serve --no-token\` ($PROXYHOST_BUILD build), the backend as a server with a fixed port and no command. CHP $CHP_VERSION on node $(node --version), its route added through its REST API. websockify $(dpkg-query -W -f='${Version}' websockify 2>/dev/null) (Debian), to the same TCP echo port. YARP alone: bench/YarpAlone, one static YARP route to the backend with no middleware of its own — what the forwarding library costs by itself, so ProxyHost/YARP alone is the price of ProxyHost's own pipeline.
- first click: median of $COLD_REPS samples, each a freshly exec'd \`proxyhost serve\` whose one server is \`python3 -m http.server\`: serve_answers_ms is exec → the first answer to GET api/servers (polled every ms); first_request_ms the first GET of the server's page (ProxyHost starts python, probes it, forwards), second_request_ms the next GET on a new connection; overhead = first_request − python's own exec → first byte (backend_first_byte_ms, measured alone, interleaved); first_request_after_1s_overhead_ms the same in another fresh serve clicked 1 s after its first answer (a user who opens the page, then clicks); the samples share one state folder as a user's launches do, so from the second on serve starts with the last one's JIT profile, and first_launch_first_request_overhead_ms is the first sample alone (no profile yet).
- restart of a stopped server in a warm ProxyHost: median of $COLD_REPS; "listen_ms" is the .NET backend alone from exec to accepting connections, "proxied_first_byte_ms" the first request through ProxyHost after the server was stopped over the API; overhead = proxied − listen (overhead_vs_direct_first_byte also subtracts the backend's own first request).
- RSS: idle after start; the maximum while the 128-connection runs go through ProxyHost; with 1,000 open websockets through it; idle again after that.
- errors: 1 when wrk reported non-2xx responses or socket errors in that run. cpu_us_per_req / cpu_us_per_msg / cpu_us_per_mb: CPU time (user + system) of the serving processes per request, echoed message or echoed MiB during the run — the backend's own for "direct", nginx's master and workers, CHP's node, websockify with its per-connection children, ProxyHost's — steadier than rates on a shared 2-core machine.
- warm-up before measuring: ${WARMUP} s of 1 KB load on ProxyHost and on YARP alone (2 s on the others) so that .NET's tiered JIT has reached steady state.
EOF
mkdir -p "$(dirname "$OUT")"
"$LOADGEN" report --raw "$RAW" --meta "$TMP/meta.md" --out "$OUT"
log "written to $OUT"
