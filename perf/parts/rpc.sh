# perf/parts/rpc.sh -- Bolt and Dubbo: pipelined load (perf/*-load.ts, core GEN_CPU) through
# mosn-ts (1 worker, `proxy` filter, routing on `service`) and through nginx stream (the L4
# ceiling: bytes relayed, no decoding), to our echo upstream (perf/*-echo.ts, core UP_CPU).

RPC_PROTOCOLS=${RPC_PROTOCOLS:-"bolt dubbo"}
RPC_CONNS=${RPC_CONNS:-4}
RPC_INFLIGHT=${RPC_INFLIGHT:-64}
RPC_SIZE=${RPC_SIZE:-1024}

part_rpc() {
  local md="$WORK/report-rpc.md" proto up_port service specs=""
  for proto in $RPC_PROTOCOLS; do
    case "$proto" in
      bolt) up_port=$P_BOLT_UP; service="com.example.bench.EchoService:1.0" ;;
      dubbo) up_port=$P_DUBBO_UP; service="com.example.bench.EchoService" ;;
      *) die "unknown RPC protocol $proto (bolt dubbo)" ;;
    esac
    start_node_ts "$UP_CPU" "$proto-echo" "$proto-echo.ts" "$up_port"
    local echo_pid=$LAST_PID
    wait_listen "$up_port"
    local load=("$NODE" "$PERF_DIR/$proto-load.ts" --connections "$RPC_CONNS" --inflight "$RPC_INFLIGHT"
                --size "$RPC_SIZE" --service "$service" --duration @DUR@)

    log "== rpc: $proto via mosn-ts"
    mosn_rpc_config "$WORK/mosn-$proto.json" "$proto" "$service" "$up_port"
    start_mosnts "$PROXY_CPU" "$WORK/mosn-$proto.json" 1
    PROXY_MAIN=$LAST_PID
    wait_listen "$P_MOSN_RPC"
    PPIDS=$(tree_pids "$PROXY_MAIN")
    run_load 1 "$WORK/check-$proto-mosn.txt" "${load[@]}" --port "$P_MOSN_RPC" \
      || die "$proto through mosn-ts: check load failed: $(tail -3 "$WORK/check-$proto-mosn.txt")"
    measure rpc "$proto" mosn "$PPIDS" node "${load[@]}" --port "$P_MOSN_RPC"
    stop_pid "$PROXY_MAIN"

    log "== rpc: $proto via nginx stream"
    start_nginx_stream "$PROXY_CPU" "$P_NGX_RPC" "$up_port"
    PROXY_MAIN=$LAST_PID
    wait_listen "$P_NGX_RPC"
    PPIDS=$(tree_pids "$PROXY_MAIN")
    measure rpc "$proto" nginx-stream "$PPIDS" node "${load[@]}" --port "$P_NGX_RPC"
    stop_pid "$PROXY_MAIN"

    stop_pid "$echo_pid"
    specs="$specs${specs:+;}$proto|$proto, ${RPC_CONNS} conns x ${RPC_INFLIGHT} in flight, ${RPC_SIZE} B content"
  done
  {
    report_header rpc "RPC: mosn-ts (Bolt / Dubbo proxy, 1 worker) vs nginx stream (L4 ceiling)"
    echo "Load: perf/<protocol>-load.ts (pipelined, ids per connection), upstream: perf/<protocol>-echo.ts (our codec, one answer per request)."
    echo "mosn-ts decodes every frame, routes on the \`service\` header and rewrites request ids over a multiplexed upstream connection;"
    echo "nginx stream relays bytes only (one upstream connection per client connection), so it is a ceiling, not a peer."
    report_table rpc nginx-stream "$specs" "mosn|mosn-ts proxy 1 worker;nginx-stream|nginx stream"
    echo
    echo "per CPU-s ×nginx-stream = (req per proxy CPU-s) / nginx stream's for the same load."
  } > "$md"
  save_report rpc "$md"
}
