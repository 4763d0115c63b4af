#!/usr/bin/env bash
# bench/ab-ws.sh — websocket echo and raw-bridge cost of ProxyHost builds side by side, for A/B of one change.
#
#   bench/ab-ws.sh /tmp/before bench/.build/proxyhost-r2r
#   bench/ab-ws.sh DIR DIR@DOTNET_TieredPGO=0,DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0   # one build, two environments
#
# Each target is a folder holding a proxyhost build, with optional environment. Interleaved rounds: websocket
# echo through each (50 connections × 64 B: msgs/s and the ProxyHost process's CPU per message), then the raw
# bridge to a TCP echo port (4 streams of 64 KiB messages: MB/s and CPU per MiB), and its RSS. Run bench/run.sh
# once first (it builds the backend and LoadGen). Environment: DUR=5 ROUNDS=3.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${DUR:-5}; ROUNDS=${ROUNDS:-3}
[ $# -ge 1 ] && [ $# -le 4 ] || { sed -n 2,10p "$0" >&2; exit 2; }
LOADGEN=$ROOT/bench/LoadGen/bin/Release/net10.0/LoadGen
TMP=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; sleep 1; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 20000 2>/dev/null || true
read -r BK ECHO P1 P2 P3 P4 < <("$LOADGEN" free-ports --count 6)
"$ROOT/bench/Backend/bin/Release/net10.0/Backend" --port "$BK" --tcp-echo-port "$ECHO" >/dev/null 2>&1 &
PIDS+=($!)
echo "{ \"servers\": { \"bk\": { \"port\": $BK }, \"tcp\": { \"port\": $ECHO, \"raw_socket_proxy\": true } } }" >"$TMP/proxyhost.json"
ports=("$P1" "$P2" "$P3" "$P4"); NAMES=(); TARGET_PIDS=()
for t in "$@"; do
  i=${#NAMES[@]}; dir=${t%%@*}; envs=(); [[ $t == *@* ]] && IFS=, read -r -a envs <<<"${t#*@}"
  env "${envs[@]}" PROXYHOST_STATE_DIR="$TMP/state$i" "$dir/proxyhost" serve --config "$TMP/proxyhost.json" --ip 127.0.0.1 \
    --port "${ports[$i]}" --no-token --no-arbitrary-ports --max-connections-per-client 0 >"$TMP/proxyhost-$i.log" 2>&1 &
  PIDS+=($!); TARGET_PIDS+=($!); NAMES+=("$t")
done
for i in "${!NAMES[@]}"; do
  for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:${ports[$i]}/api/servers" 2>/dev/null && break; sleep 0.1; done
done
CLK_TCK=$(getconf CLK_TCK)
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
per_unit() { awk -v t="$1" -v u="$2" -v hz="$CLK_TCK" 'BEGIN { if (u > 0) printf "%.1f", t / hz * 1e6 / u; else print "n/a" }'; }
value() { awk -v k="$1" '$1 == k { print $2 }'; }
# warm-up: JIT tiering and connection pools
for i in "${!NAMES[@]}"; do
  "$LOADGEN" ws-echo --url "ws://127.0.0.1:${ports[$i]}/bk/ws" --connections 50 --duration 8 --timeout 60 >/dev/null
  "$LOADGEN" stream --ws "ws://127.0.0.1:${ports[$i]}/tcp/" --connections 4 --duration 4 --timeout 60 >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!NAMES[@]}"; do
    pid=${TARGET_PIDS[$i]}
    before=$(ticks "$pid"); ws=$("$LOADGEN" ws-echo --url "ws://127.0.0.1:${ports[$i]}/bk/ws" --connections 50 --duration "$DUR" --timeout $((DUR + 60))); after=$(ticks "$pid")
    ws_cpu=$(per_unit $((after - before)) "$(value messages <<<"$ws")")
    before=$(ticks "$pid"); br=$("$LOADGEN" stream --ws "ws://127.0.0.1:${ports[$i]}/tcp/" --connections 4 --duration "$DUR" --timeout $((DUR + 60))); after=$(ticks "$pid")
    br_cpu=$(per_unit $((after - before)) "$(value mb_total <<<"$br")")
    printf '%-50s round %d  ws msgs/s %8.0f  cpu_us/msg %6s  bridge MB/s %6.0f  cpu_us/MB %6s  rss %s MB\n' "${NAMES[$i]}" "$round" \
      "$(value msgs_per_sec <<<"$ws")" "$ws_cpu" "$(value mb_per_sec <<<"$br")" "$br_cpu" "$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status")"
  done
done
