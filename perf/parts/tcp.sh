# perf/parts/tcp.sh -- raw TCP: mosn-ts tcp_proxy (1 worker) vs nginx stream vs haproxy tcp, in
# front of the same HTTP upstream, driven by wrk (the reference's MT / HN / HH).

TCP_SCENARIOS=${TCP_SCENARIOS:-"small 64k"}
TCP_PROXIES=${TCP_PROXIES:-"mosn-tcp nginx-stream haproxy-tcp"}

tcp_label() {
  case "$1" in
    mosn-tcp) echo "mosn-ts tcp_proxy 1 worker" ;;
    nginx-stream) echo "nginx stream" ;;
    haproxy-tcp) echo "haproxy tcp" ;;
  esac
}

start_tcp_proxy() { # id
  case "$1" in
    mosn-tcp) mosn_tcp_config "$WORK/mosn-tcp.json"; start_mosnts "$PROXY_CPU" "$WORK/mosn-tcp.json" 1; PORT=$P_MOSN_TCP ;;
    nginx-stream) start_nginx_stream "$PROXY_CPU" "$P_NGX_TCP" "$P_UP"; PORT=$P_NGX_TCP ;;
    haproxy-tcp) start_haproxy "$PROXY_CPU" tcp "$P_HAP_TCP"; PORT=$P_HAP_TCP ;;
    *) die "unknown TCP proxy $1" ;;
  esac
  http_proxy_started "$PORT"
}

part_tcp() {
  local md="$WORK/report-tcp.md" scen id
  for scen in $TCP_SCENARIOS; do
    http_scenario "$scen"
    for id in $TCP_PROXIES; do
      log "== tcp: $scen via $id"
      start_tcp_proxy "$id"
      check_http "$PORT" "$scen"
      measure tcp "$scen" "$id" "$PPIDS" wrk \
        wrk -t1 -c"$S_CONNS" -d@DUR@s --latency "${S_EXTRA[@]}" "http://127.0.0.1:$PORT$S_PATH"
      stop_pid "$PROXY_MAIN"
    done
  done
  {
    report_header tcp "Raw TCP: mosn-ts tcp_proxy vs nginx stream vs haproxy tcp"
    echo "All three relay bytes to the same nginx HTTP upstream; wrk speaks HTTP/1.1 keep-alive through them."
    report_table tcp nginx-stream "$(specs_of "$TCP_SCENARIOS")" "$(labels_of tcp_label "$TCP_PROXIES")"
    echo
    echo "per CPU-s ×nginx-stream = (req per proxy CPU-s) / nginx stream's in the same scenario."
  } > "$md"
  save_report tcp "$md"
}
