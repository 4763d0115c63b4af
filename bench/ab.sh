#!/usr/bin/env bash
# bench/ab.sh — CPU per request of proxy builds side by side, for A/B of one change (HTTP, 1 KB or 1 MB responses).
#
#   bench/ab.sh yarp ph:/tmp/before ph:src/ProxyHost.Cli/bin/Release/net10.0
#   bench/ab.sh ph:DIR ph:DIR@DOTNET_TieredPGO=0,DOTNET_gcServer=1      # the same build, two environments
#
# Targets: direct (the backend), yarp (bench/YarpAlone), ph:DIR[@NAME=value,...] (a ProxyHost build folder,
# e.g. a copy of an earlier build, with optional environment). Interleaved rounds of wrk; prints req/s, the
# target process's CPU time per request, p50, p99 and its RSS after the round. Run bench/run.sh once first (it builds
# the backend, YarpAlone and LoadGen and installs wrk). Environment: DUR=5 ROUNDS=3 WARM=15 CONN=32 SIZE=1kb (or 1mb).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${DUR:-5}; ROUNDS=${ROUNDS:-3}; WARM=${WARM:-15}; CONN=${CONN:-32}; SIZE=${SIZE:-1kb}
[ $# -ge 1 ] && [ $# -le 4 ] || { sed -n 2,10p "$0" >&2; exit 2; }
BIN=net10.0
TMP=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 20000 2>/dev/null || true
read -r BK ECHO P1 P2 P3 P4 < <("$ROOT/bench/LoadGen/bin/Release/$BIN/LoadGen" free-ports --count 6)
"$ROOT/bench/Backend/bin/Release/$BIN/Backend" --port "$BK" --tcp-echo-port "$ECHO" >/dev/null 2>&1 &
PIDS+=($!); BK_PID=$!
echo "{ \"servers\": { \"bk\": { \"port\": $BK } } }" >"$TMP/proxyhost.json"
ports=("$P1" "$P2" "$P3" "$P4"); NAMES=(); URLS=(); TARGET_PIDS=()
for t in "$@"; do
  port=${ports[${#NAMES[@]}]}
  spec=${t#*:}; dir=${spec%%@*}; envs=(); [[ $t == *@* ]] && IFS=, read -r -a envs <<<"${t#*@}"
  case $t in
    direct) URLS+=("http://127.0.0.1:$BK"); TARGET_PIDS+=("$BK_PID") ;;
    yarp*) env "${envs[@]}" "$ROOT/bench/YarpAlone/bin/Release/$BIN/YarpAlone" --port "$port" --backend "http://127.0.0.1:$BK" >/dev/null 2>&1 &
      PIDS+=($!); TARGET_PIDS+=($!); URLS+=("http://127.0.0.1:$port/bk") ;;
    ph:*) env "${envs[@]}" "$dir/proxyhost" serve --config "$TMP/proxyhost.json" --ip 127.0.0.1 --port "$port" --no-token \
        --no-arbitrary-ports --max-connections-per-client 0 >"$TMP/proxyhost-$port.log" 2>&1 &
      PIDS+=($!); TARGET_PIDS+=($!); URLS+=("http://127.0.0.1:$port/bk") ;;
    *) echo "bench/ab.sh: unknown target '$t'" >&2; exit 2 ;;
  esac
  NAMES+=("$t")
done
for u in "${URLS[@]}"; do
  for _ in $(seq 1 300); do curl -fs -o /dev/null --max-time 1 "$u/1kb" && break; sleep 0.1; done
done
for u in "${URLS[@]}"; do timeout $((WARM + 30)) wrk -t2 -c"$CONN" -d"${WARM}s" "$u/$SIZE" >/dev/null; done
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!URLS[@]}"; do
    before=$(ticks "${TARGET_PIDS[$i]}")
    out=$(timeout $((DUR + 30)) wrk -t2 -c"$CONN" -d"${DUR}s" --latency "${URLS[$i]}/$SIZE")
    after=$(ticks "${TARGET_PIDS[$i]}")
    rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${TARGET_PIDS[$i]}/status")
    awk -v name="${NAMES[$i]}" -v round="$round" -v ticks=$((after - before)) -v hz="$hz" -v rss="$rss" '
      $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } $2 == "requests" && $3 == "in" { n = $1 } $1 == "Requests/sec:" { rps = $2 }
      END { printf "%-50s round %d  req/s %8.0f  cpu_us/req %6.1f  p50 %s  p99 %s  rss %s MB\n", name, round, rps, ticks / hz * 1e6 / n, p50, p99, rss }' <<<"$out"
  done
done
