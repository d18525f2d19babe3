# perf/lib/measure.sh -- bounded load runs and what is measured around them (the reference's
# method): proxy CPU = delta of utime+stime (all threads) of the proxy's processes from
# /proc/PID/stat over the run's wall time; per-core busy from /proc/stat; RSS = VmRSS after
# the last run; every figure is the median of the runs, taken per metric.
#
# Rows go to $WORK/results.tsv:
#   part scen proxy run rps p50ms p99ms proxy% core0% core1% errors
# and memory to $WORK/mem.tsv:  part scen proxy rssKB hwmKB

RESULTS="$WORK/results.tsv"; : > "$RESULTS"
MEM="$WORK/mem.tsv"; : > "$MEM"

ticks() { # summed utime+stime of the given pids (a process's stat covers all its threads)
  local s=0 p t
  for p in "$@"; do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13}') || t=0
    s=$((s + ${t:-0}))
  done
  echo $s
}
corestat() { awk -v c="cpu$1" '$1==c{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
memkb() { # field pids... -> summed kB
  local f=$1 s=0 p v; shift
  for p in "$@"; do v=$(awk -v f="$f:" '$1==f{print $2}' "/proc/$p/status" 2>/dev/null); s=$((s + ${v:-0})); done
  echo $s
}
to_ms() { awk '{ v=$1; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)}
                 else if (v ~ /m$/) {sub("m","",v); v*=60000} else if (v ~ /s$/) {sub("s","",v); v*=1000}; printf "%.3f\n", v }'; }

# One bounded load run on GEN_CPU. In the command, @DUR@ is replaced by the duration (s).
run_load() { # dur out cmd...
  local dur=$1 out=$2; shift 2
  local cmd=("${@//@DUR@/$dur}")
  timeout -k 5 $((dur + 30)) taskset -c "$GEN_CPU" "${cmd[@]}" > "$out" 2>&1
}

# "rps p50ms p99ms errors" from a wrk --latency output or from a perf/*-load.ts RESULT line.
parse_load() { # kind(wrk|node) out
  if [ "$1" = wrk ]; then
    local rps p50 p99 errs
    rps=$(awk '/^Requests\/sec:/{print $2}' "$2")
    p50=$(awk '$1=="50%"{print $2}' "$2" | to_ms)
    p99=$(awk '$1=="99%"{print $2}' "$2" | to_ms)
    errs=$(awk '/Non-2xx/{n+=$NF} /Socket errors/{gsub(",","");n+=$4+$6+$8+$10} END{print n+0}' "$2")
    echo "${rps:-0} ${p50:-0} ${p99:-0} $errs"
  else
    awk '$1=="RESULT"{print $2, $3, $4, $5}' "$2" | tail -1
  fi
}

# Warm-up (not recorded), then RUNS measured runs of DUR seconds.
measure() { # part scen proxy-id proxy-pids kind(wrk|node) cmd...
  local part=$1 scen=$2 id=$3 ppids=$4 kind=$5; shift 5
  local r out
  run_load "$WARM" "$WORK/warm-$part-$scen-$id.txt" "$@" || log "  (warm-up of $scen/$id ended with an error)"
  for r in $(seq 1 "$RUNS"); do
    sleep 1
    out="$WORK/load-$part-$scen-$id-$r.txt"
    local p0 c00 c10 t0 p1 c01 c11 t1
    p0=$(ticks $ppids); c00=$(corestat 0); c10=$(corestat 1); t0=$(date +%s%N)
    run_load "$DUR" "$out" "$@" || die "load run failed for $part/$scen/$id (see $out): $(tail -3 "$out")"
    t1=$(date +%s%N); c11=$(corestat 1); c01=$(corestat 0); p1=$(ticks $ppids)
    local res; res=$(parse_load "$kind" "$out")
    [ -n "$res" ] || die "no result in $out: $(tail -3 "$out")"
    echo "$res" | awk -v part="$part" -v s="$scen" -v id="$id" -v r="$r" -v el="$(( (t1 - t0) / 1000000 ))" -v clk="$CLK" \
        -v pp="$((p1 - p0))" -v c0="$((c01 - c00))" -v c1="$((c11 - c10))" '{
          sec = el / 1000
          printf "%s\t%s\t%s\t%d\t%.0f\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\t%d\n", part, s, id, r, $1, $2, $3,
            pp / clk / sec * 100, c0 / clk / sec * 100, c1 / clk / sec * 100, $4 }' >> "$RESULTS"
    tail -1 "$RESULTS" | awk -F'\t' '{printf "  [%s %s %s run %s] rps=%s p50=%sms p99=%sms proxy=%s%% core0=%s%% core1=%s%% errors=%s\n",$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11}' >&2
  done
  local p
  for p in $ppids; do kill -0 "$p" 2>/dev/null || die "the proxy ($id, pid $p) ended during $part/$scen: see the logs in $WORK"; done
  printf '%s\t%s\t%s\t%s\t%s\n' "$part" "$scen" "$id" "$(memkb VmRSS $ppids)" "$(memkb VmHWM $ppids)" >> "$MEM"
}
