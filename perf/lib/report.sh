# perf/lib/report.sh -- medians and the markdown tables; each part's report is printed to
# stdout and saved to perf/results/<date>-<part>.md.

med() { sort -g | awk '{a[NR]=$1} END{ if (NR == 0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
rows() { # part scen id [file] -> that pair's result lines (default $RESULTS)
  awk -F'\t' -v p="$1" -v s="$2" -v i="$3" '$1==p && $2==s && $3==i' "${4:-$RESULTS}"
}
col() { rows "$1" "$2" "$3" | cut -f"$4" | med; } # part scen id column -> median over runs
# requests per proxy CPU-second, per run, then the median
per_cpu() { rows "$1" "$2" "$3" | awk -F'\t' '{ if ($8 > 0) print $5 / ($8 / 100); else print 0 }' | med; }
errs_sum() { rows "$1" "$2" "$3" | awk -F'\t' '{n+=$11} END{print n+0}'; }
mem_of() { rows "$1" "$2" "$3" "$MEM" | cut -f"$4" | tail -1; }
has_rows() { [ -n "$(rows "$1" "$2" "$3")" ]; }
labels_of() { # label-function ids -> "id|label;..."
  local i out=""
  for i in $2; do out="$out${out:+;}$i|$($1 "$i")"; done
  echo "$out"
}

fmt_int() { awk -v v="$1" 'BEGIN{ s = sprintf("%.0f", v); n = ""; while (length(s) > 3) { n = " " substr(s, length(s)-2) n; s = substr(s, 1, length(s)-3) }; print s n }'; }

# Header of every saved report: when, where, with what.
report_header() { # part title
  local commit
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
  [ -n "$(git -C "$ROOT" status --porcelain -- src workers scripts 2>/dev/null)" ] && commit="$commit (+ uncommitted changes)"
  cat <<EOF
## $2

$(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), kernel $(uname -r).
mosn-ts $commit, Node $("$NODE" -v), $(nginx -v 2>&1 | sed 's/^nginx version: //'), haproxy $(haproxy -v 2>/dev/null | awk 'NR==1{print $3}'), wrk $(wrk -v 2>&1 | awk 'NR==1{print $2}').
Medians of $RUNS run(s) x ${DUR} s after a ${WARM} s warm-up$( [ "${QUICK:-0}" = 1 ] && echo " (QUICK mode: for development, not for comparison)").
Pinning: proxy on core $PROXY_CPU, load generator on core $GEN_CPU, upstream on core $UP_CPU (unless the text says otherwise).
Core busy % comes from /proc/stat; on core $PROXY_CPU, busy minus proxy CPU is other work (on a quiet machine ≈ 0; noise if not).
EOF
}

# One markdown table: for each scenario, one row per proxy id; ratios against ref-id in the same scenario.
#   specs: "scen|scenario text" ...   proxies: "id|label" ...
report_table() { # part ref-id "scen|text;scen|text" "id|label;id|label"
  local part=$1 ref=$2 specs=$3 proxies=$4 spec prox scen text id label
  echo
  echo "| scenario | proxy | rps | p50 ms | p99 ms | proxy CPU % | req per proxy CPU-s | per CPU-s ×$ref | rps ×$ref | RSS MB | core 0 busy % | core 1 busy % | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  IFS=';' read -ra SPECS <<< "$specs"
  IFS=';' read -ra PROXIES <<< "$proxies"
  for spec in "${SPECS[@]}"; do
    scen=${spec%%|*}; text=${spec#*|}
    local ref_eff=0 ref_rps=0
    if has_rows "$part" "$scen" "$ref"; then ref_eff=$(per_cpu "$part" "$scen" "$ref"); ref_rps=$(col "$part" "$scen" "$ref" 5); fi
    for prox in "${PROXIES[@]}"; do
      id=${prox%%|*}; label=${prox#*|}
      has_rows "$part" "$scen" "$id" || continue
      local rps eff busy
      rps=$(col "$part" "$scen" "$id" 5); eff=$(per_cpu "$part" "$scen" "$id")
      busy=$(col "$part" "$scen" "$id" 8)
      awk -v text="$text" -v label="$label" -v rps="$(fmt_int "$rps")" -v rpsv="$rps" -v p50="$(col "$part" "$scen" "$id" 6)" \
          -v p99="$(col "$part" "$scen" "$id" 7)" -v busy="$busy" -v eff="$(fmt_int "$eff")" -v effv="$eff" \
          -v re="$ref_eff" -v rr="$ref_rps" -v rss="$(mem_of "$part" "$scen" "$id" 4)" \
          -v k0="$(col "$part" "$scen" "$id" 9)" -v k1="$(col "$part" "$scen" "$id" 10)" \
          -v errs="$(errs_sum "$part" "$scen" "$id")" 'BEGIN{
            xe = (re > 0) ? sprintf("%.2f", effv / re) : "–"; xr = (rr > 0) ? sprintf("%.2f", rpsv / rr) : "–"
            printf "| %s | %s | %s | %.2f | %.2f | %.0f | %s | %s | %s | %.1f | %.0f | %.0f | %d |\n",
              text, label, rps, p50, p99, busy, eff, xe, xr, rss / 1024, k0, k1, errs }'
    done
  done
}

# Prints the report on stdout and saves it to perf/results/<date>-<part>.md.
save_report() { # part file-with-markdown
  mkdir -p "$RESULTS_DIR"
  local dest="$RESULTS_DIR/$DATE_TAG-$1$( [ "${QUICK:-0}" = 1 ] && echo -quick).md"
  cp "$2" "$dest"
  echo
  cat "$2"
  log "saved $dest"
}
