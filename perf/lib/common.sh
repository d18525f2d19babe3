# perf/lib/common.sh -- knobs, work folder, cleanup, tool install, waiting helpers.
# Sourced by perf/run.sh; every other perf/lib/*.sh and perf/parts/*.sh relies on it.

# ---------- knobs (env) ----------
if [ "${QUICK:-0}" = 1 ]; then
  RUNS=${RUNS:-1}; DUR=${DUR:-3}; WARM=${WARM:-1}
else
  RUNS=${RUNS:-3}; DUR=${DUR:-10}; WARM=${WARM:-3}
fi
GEN_CPU=${GEN_CPU:-1}        # wrk / Node load generators
PROXY_CPU=${PROXY_CPU:-0}    # the proxy under test (1-worker scenarios)
UP_CPU=${UP_CPU:-1}          # upstreams (nginx, Node echo servers)
PROXY_CPUS_2W=${PROXY_CPUS_2W:-0,1}   # the proxy in 2-worker scenarios
IDLE_CONNS=${IDLE_CONNS:-10000}
KEEP_LOGS=${KEEP_LOGS:-0}
# mosn-ts HTTP settings: "same-work" (default) turns off the headers nginx proxy_pass does not
# add (X-Forwarded-For/-Proto, x-request-id); "defaults" keeps mosn-ts's defaults.
MOSN_HTTP_MODE=${MOSN_HTTP_MODE:-same-work}

# fixed loopback ports below the ephemeral range (32768+), so test suites binding port 0 never take them
PB=${PORT_BASE:-31180}
P_UP=$PB                  # nginx HTTP upstream
P_NGX=$((PB + 1))         # nginx proxy_pass
P_HAP=$((PB + 2))         # haproxy http
P_MOSN=$((PB + 3))        # mosn-ts proxy (http)
P_NGX_TCP=$((PB + 4))     # nginx stream
P_HAP_TCP=$((PB + 5))     # haproxy tcp
P_MOSN_TCP=$((PB + 6))    # mosn-ts tcp_proxy
P_BOLT_UP=$((PB + 7))     # perf/bolt-echo.ts
P_DUBBO_UP=$((PB + 8))    # perf/dubbo-echo.ts
P_MOSN_RPC=$((PB + 9))    # mosn-ts proxy (bolt / dubbo)
P_NGX_RPC=$((PB + 10))    # nginx stream in front of an RPC echo
ALL_PORTS="$P_UP $P_NGX $P_HAP $P_MOSN $P_NGX_TCP $P_HAP_TCP $P_MOSN_TCP $P_BOLT_UP $P_DUBBO_UP $P_MOSN_RPC $P_NGX_RPC"

ROOT=$(cd "$PERF_DIR/.." && pwd)
NODE="$ROOT/node_modules/.bin/node"
CLK=$(getconf CLK_TCK)
RESULTS_DIR="$PERF_DIR/results"
DATE_TAG=$(date -u +%Y-%m-%d)

WORK=$(mktemp -d -t mosnts-bench.XXXXXX); chmod 755 "$WORK"   # nginx workers run as nobody
mkdir -p "$WORK/tmp" "$WORK/www"
STARTED=()

log() { echo "$*" >&2; }
die() { echo "ERROR: $*" >&2; exit 1; }

# Stops everything this run started, by PID (TERM, then KILL after 5 s).
cleanup() {
  local rc=$? p i
  for p in "${STARTED[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for i in $(seq 1 50); do
    local alive=0
    for p in "${STARTED[@]:-}"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${STARTED[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  for p in "${STARTED[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  if [ "$KEEP_LOGS" = 1 ] || [ "$rc" != 0 ]; then log "raw logs kept in $WORK"; else rm -rf "$WORK"; fi
}

# Installs nginx (+ stream module), haproxy and wrk when one is missing, without letting
# package scripts start services (policy-rc.d answering 101, as .ci/run does).
ensure_tools() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v ss >/dev/null || missing+=(iproute2)
  command -v taskset >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root or install them first"
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; fi
    timeout 600 apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get install ${missing[*]} failed"
  fi
  [ -x "$NODE" ] || die "no $NODE: run npm install in $ROOT first"
  [ -x "$ROOT/node_modules/.bin/mosn-ts" ] || die "no node_modules/.bin/mosn-ts in $ROOT: run npm install first"
  [ "$(nproc)" -ge 2 ] || die "needs 2 cores (proxy on $PROXY_CPU, load generator and upstream on $GEN_CPU)"
}

# 10 000 idle connections need ~10k descriptors in the client and ~10k+ in the proxy.
raise_nofile() {
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt 30000 ]; then ulimit -Hn 65536 2>/dev/null || true; fi
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

port_free() { [ -z "$(ss -ltnH "sport = :$1")" ] || die "port $1 already in use (set PORT_BASE)"; }
check_ports() { local p; for p in $ALL_PORTS; do port_free "$p"; done; }

wait_http() { # port path -> waits until a 200 comes back (10 s)
  local i
  for i in $(seq 1 100); do
    [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")" = 200 ] && return 0
    sleep 0.1
  done
  die "nothing answered 200 on 127.0.0.1:$1$2"
}

wait_listen() { # port -> waits until something listens (10 s)
  local i
  for i in $(seq 1 100); do
    [ -n "$(ss -ltnH "sport = :$1")" ] && return 0
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$1"
}

# Payload files used by the upstream and by the checks.
make_payloads() {
  head -c 65536 /dev/zero | tr '\0' 'a' > "$WORK/www/64k.bin"
  head -c 1048576 /dev/zero | tr '\0' 'x' > "$WORK/post1m.bin"
  cat > "$WORK/post1m.lua" <<'EOF'
wrk.method = "POST"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
EOF
}
