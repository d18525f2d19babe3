# perf/parts/idle.sh -- memory per idle keep-alive connection: perf/idle-conns.ts (core GEN_CPU)
# opens IDLE_CONNS connections, one request each, and holds them; proxy RSS before and after.

IDLE_PROXIES=${IDLE_PROXIES:-"mosn nginx"}

proxy_conns() { ss -tnH state established "( sport = :$1 )" | wc -l; }

part_idle() {
  local md="$WORK/report-idle.md" id rows="$WORK/idle-rows.md"
  : > "$rows"
  for id in $IDLE_PROXIES; do
    log "== idle: $IDLE_CONNS connections to $id"
    start_http_proxy "$id" "$PROXY_CPU"
    # warm the proxy (code, pools) so the difference is the connections, not first-use costs
    run_load 2 "$WORK/idle-warm-$id.txt" wrk -t1 -c50 -d@DUR@s "http://127.0.0.1:$PORT/" || die "idle warm-up failed"
    sleep 2
    local before after open failed
    before=$(memkb VmRSS $PPIDS)
    start_node_ts "$GEN_CPU" "idle-$id" idle-conns.ts --port "$PORT" --count "$IDLE_CONNS" --hold 300
    local client=$LAST_PID i ready=""
    for i in $(seq 1 1200); do   # up to 120 s
      ready=$(awk '$1=="READY"{print $2, $3}' "$WORK/idle-$id.out")
      [ -n "$ready" ] && break
      kill -0 "$client" 2>/dev/null || die "idle client ended early: $(tail -3 "$WORK/idle-$id.out")"
      sleep 0.1
    done
    [ -n "$ready" ] || die "idle client not ready after 120 s"
    sleep 3
    after=$(memkb VmRSS $PPIDS)
    local held_by_proxy; held_by_proxy=$(proxy_conns "$PORT")
    read -r open failed <<< "$ready"
    log "  [idle $id] open=$open failed=$failed held-by-proxy=$held_by_proxy rss-before=${before}kB rss-after=${after}kB"
    stop_pid "$client"
    stop_pid "$PROXY_MAIN"
    awk -v label="$(http_label "$id")" -v n="$IDLE_CONNS" -v open="$open" -v failed="$failed" -v held="$held_by_proxy" \
      -v b="$before" -v a="$after" 'BEGIN{ per = (held > 0) ? (a - b) / held : 0
        printf "| %s | %d | %d | %d | %.1f | %.1f | %.2f |\n", label, open, failed, held, b / 1024, a / 1024, per }' >> "$rows"
  done
  {
    report_header idle "Memory per idle HTTP keep-alive connection"
    echo "perf/idle-conns.ts opens $IDLE_CONNS connections 200 at a time, sends one GET on each, reads the answer and keeps them open."
    echo "RSS before = after a 2 s wrk warm-up (50 conns, closed); after = 3 s after the last connection was opened."
    echo "KiB per connection = (after - before) / connections the proxy holds (ss, established). Target for mosn-ts: ≤ 8 KiB."
    echo
    echo "| proxy | opened | failed | held by proxy | RSS before MB | RSS after MB | KiB per connection |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    cat "$rows"
  } > "$md"
  save_report idle "$md"
}
