# perf/parts/workers.sh -- mosn-ts with 2 workers in each accept mode (handoff, reuseport), next
# to 1 worker and to nginx with 2 workers. The proxy may use both cores here, so it shares them
# with wrk and the upstream (still on core GEN_CPU): these are figures, not a clean per-core ratio.

WORKERS_SCENARIOS=${WORKERS_SCENARIOS:-"small c1000"}
WORKERS_PROXIES=${WORKERS_PROXIES:-"mosn mosn-2w-handoff mosn-2w-reuseport nginx-2w"}

part_workers() {
  local md="$WORK/report-workers.md"
  http_runs workers "$PROXY_CPUS_2W" "$WORKERS_SCENARIOS" "$WORKERS_PROXIES"
  {
    report_header workers "Worker threads: mosn-ts 1 and 2 workers (handoff, reuseport) vs nginx 2 workers"
    echo "**Pinning differs from the other parts**: every proxy here may run on cores $PROXY_CPUS_2W, and wrk and the upstream"
    echo "stay on core $GEN_CPU, so the load generator shares a core with the proxy. Read these as figures of how the"
    echo "worker modes compare to each other on this box, not as the per-core ratio (that is the http part)."
    report_table workers nginx-2w "$(specs_of "$WORKERS_SCENARIOS")" "$(labels_of http_label "$WORKERS_PROXIES")"
    echo
    echo "proxy CPU % can exceed 100 (two cores). handoff: the main thread accepts and moves each socket to a worker;"
    echo "reuseport: each worker binds the port and the kernel spreads connections."
  } > "$md"
  save_report workers "$md"
}
