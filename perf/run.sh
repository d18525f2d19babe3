#!/usr/bin/env bash
# perf/run.sh -- `npm run bench`: mosn-ts side by side with nginx (and haproxy) in one run, on
# this machine, pinned like ../shared/bench/proxy-bench.sh (proxy on core 0, load generator and
# upstream on core 1), 127.0.0.1 only. See perf/README.md.
#
#   bash perf/run.sh [http] [tcp] [rpc] [idle] [workers]     (no argument: all five, in this order)
#
# Env knobs: QUICK=1 (1 run x 3 s, 1 s warm-up), RUNS [3], DUR [10], WARM [3], PORT_BASE [31180],
#   GEN_CPU [1], PROXY_CPU [0], UP_CPU [1], PROXY_CPUS_2W [0,1], KEEP_LOGS=1, MOSN_HTTP_MODE [same-work|defaults],
#   HTTP_SCENARIOS, HTTP_PROXIES, TCP_SCENARIOS, TCP_PROXIES, RPC_PROTOCOLS, RPC_CONNS, RPC_INFLIGHT,
#   RPC_SIZE, IDLE_CONNS, IDLE_PROXIES, WORKERS_SCENARIOS, WORKERS_PROXIES (see perf/README.md).
set -euo pipefail

PERF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(http tcp rpc idle workers)
for part in "${PARTS[@]}"; do
  case "$part" in http|tcp|rpc|idle|workers) ;; *) echo "usage: perf/run.sh [http|tcp|rpc|idle|workers]..." >&2; exit 2 ;; esac
done

# shellcheck source=lib/common.sh
source "$PERF_DIR/lib/common.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM
ensure_tools
# shellcheck source=lib/procs.sh
source "$PERF_DIR/lib/procs.sh"
# shellcheck source=lib/measure.sh
source "$PERF_DIR/lib/measure.sh"
# shellcheck source=lib/report.sh
source "$PERF_DIR/lib/report.sh"
# shellcheck source=lib/mosn-config.sh
source "$PERF_DIR/lib/mosn-config.sh"
for f in http tcp rpc idle workers; do
  # shellcheck source=/dev/null
  source "$PERF_DIR/parts/$f.sh"
done

raise_nofile
check_ports
make_payloads
log "# mosn-ts bench: parts=${PARTS[*]} RUNS=$RUNS DUR=${DUR}s WARM=${WARM}s; proxy core $PROXY_CPU, load generator core $GEN_CPU, upstream core $UP_CPU; nofile $(ulimit -n); work $WORK"

T_START=$(date +%s)
UP_MASTER=""
for part in "${PARTS[@]}"; do
  t0=$(date +%s)
  case "$part" in
    http|tcp|idle|workers) [ -n "$UP_MASTER" ] || start_http_upstream "$UP_CPU" ;;
  esac
  "part_$part"
  log "(part $part took $(( $(date +%s) - t0 )) s)"
done
log "(total $(( $(date +%s) - T_START )) s)"
