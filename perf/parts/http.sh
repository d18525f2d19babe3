# perf/parts/http.sh -- HTTP/1.1: mosn-ts (1 worker) vs nginx proxy_pass vs haproxy, driven by wrk.
# Also holds the HTTP scenario table and proxy starters the `workers` part reuses.

HTTP_SCENARIOS=${HTTP_SCENARIOS:-"small 64k post1m c1000"}
HTTP_PROXIES=${HTTP_PROXIES:-"mosn nginx haproxy"}

# scenario -> path, connections, extra wrk args, expected answer size
http_scenario() { # scen -> sets S_PATH S_CONNS S_EXTRA S_BYTES S_TEXT
  S_EXTRA=()
  case "$1" in
    small)  S_PATH=/;     S_CONNS=50;   S_BYTES=5;     S_TEXT="5-byte body, keep-alive, 50 conns" ;;
    64k)    S_PATH=/64k;  S_CONNS=50;   S_BYTES=65536; S_TEXT="64 KiB response, 50 conns" ;;
    post1m) S_PATH=/post; S_CONNS=50;   S_BYTES=5;     S_TEXT="1 MiB POST, 50 conns"; S_EXTRA=(-s "$WORK/post1m.lua") ;;
    c1000)  S_PATH=/;     S_CONNS=1000; S_BYTES=5;     S_TEXT="5-byte body, 1 000 conns" ;;
    *) die "unknown HTTP scenario $1 (small 64k post1m c1000)" ;;
  esac
}

check_http() { # port scen : one real request must give 200 and the right size
  local got
  if [ "$2" = post1m ]; then
    got=$(curl -s -m 10 -o /dev/null -w '%{http_code} %{size_download}' -H 'Expect:' \
          -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/post1m.bin" "http://127.0.0.1:$1$S_PATH")
  else
    got=$(curl -s -m 10 -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$1$S_PATH")
  fi
  [ "$got" = "200 $S_BYTES" ] || die "check on port $1$S_PATH gave '$got', wanted '200 $S_BYTES'"
}

# Starts one HTTP proxy in front of the upstream; sets PROXY_MAIN, PPIDS, PORT.
start_http_proxy() { # id cpu-list
  case "$1" in
    mosn|mosn-2w-handoff|mosn-2w-reuseport)
      mosn_http_config "$WORK/mosn-http.json"
      case "$1" in
        mosn) start_mosnts "$2" "$WORK/mosn-http.json" 1 ;;
        mosn-2w-handoff) start_mosnts "$2" "$WORK/mosn-http.json" 2 handoff ;;
        mosn-2w-reuseport) start_mosnts "$2" "$WORK/mosn-http.json" 2 reuseport ;;
      esac
      PORT=$P_MOSN ;;
    nginx) start_nginx_http "$2" 1; PORT=$P_NGX ;;
    nginx-2w) start_nginx_http "$2" 2; PORT=$P_NGX ;;
    haproxy) start_haproxy "$2" http "$P_HAP"; PORT=$P_HAP ;;
    *) die "unknown HTTP proxy $1" ;;
  esac
  http_proxy_started "$PORT"
}

http_label() {
  case "$1" in
    mosn) echo "mosn-ts 1 worker" ;;
    mosn-2w-handoff) echo "mosn-ts 2 workers, handoff" ;;
    mosn-2w-reuseport) echo "mosn-ts 2 workers, reuseport" ;;
    nginx) echo "nginx proxy_pass" ;;
    nginx-2w) echo "nginx proxy_pass, 2 workers" ;;
    haproxy) echo "haproxy http" ;;
  esac
}

# Runs every (scenario, proxy) pair; a fresh proxy per pair.
http_runs() { # part cpu-list scens proxies
  local part=$1 cpus=$2 scen id
  for scen in $3; do
    http_scenario "$scen"
    for id in $4; do
      log "== $part: $scen via $id"
      start_http_proxy "$id" "$cpus"
      check_http "$PORT" "$scen"
      measure "$part" "$scen" "$id" "$PPIDS" wrk \
        wrk -t1 -c"$S_CONNS" -d@DUR@s --latency "${S_EXTRA[@]}" "http://127.0.0.1:$PORT$S_PATH"
      stop_pid "$PROXY_MAIN"
    done
  done
}

specs_of() { # scens -> "scen|text;..."
  local s out=""
  for s in $1; do http_scenario "$s"; out="$out${out:+;}$s|$S_TEXT"; done
  echo "$out"
}
part_http() {
  local md="$WORK/report-http.md"
  http_runs http "$PROXY_CPU" "$HTTP_SCENARIOS" "$HTTP_PROXIES"
  {
    report_header http "HTTP/1.1: mosn-ts (1 worker) vs nginx proxy_pass vs haproxy"
    echo "nginx: the reference's B2 config (64k proxy buffers) with 1024 idle upstream connections kept (not 64: see perf/README.md); haproxy 1 thread, http-keep-alive."
    echo "mosn-ts: \`proxy\` filter, Http1 both sides, MOSN_HTTP_MODE=$MOSN_HTTP_MODE$( [ "$MOSN_HTTP_MODE" = same-work ] && echo " (no X-Forwarded-For/-Proto, no x-request-id: nginx adds none)")."
    report_table http nginx "$(specs_of "$HTTP_SCENARIOS")" "$(labels_of http_label "$HTTP_PROXIES")"
    echo
    echo "per CPU-s ×nginx = (req per proxy CPU-s) / nginx's in the same scenario: the fair figure (target ≥ 0.5)."
    echo "rps ×nginx is capped by core $GEN_CPU (wrk + upstream) for the fast proxies: see the busy column."
    echo "RSS of the 1 000-connection row = the one-worker process under 1 000 connections (target < 150 MB)."
  } > "$md"
  save_report http "$md"
}
