# perf/lib/procs.sh -- starting, pinning and stopping the servers (nginx, haproxy, mosn-ts, Node).
# Every start_* sets LAST_PID and appends it to STARTED (cleanup stops them by PID).

NGX_MODDIR=$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--modules-path=//p' 2>/dev/null || true)
NGX_MODDIR=${NGX_MODDIR:-/usr/lib/nginx/modules}

ngx_common() { # name [workers]
  cat <<EOF
pid $WORK/$1.pid;
error_log $WORK/$1-error.log warn;
worker_processes ${2:-1};
worker_rlimit_nofile $(ulimit -n);
events { worker_connections $(( $(ulimit -n) - 100 )); }
EOF
}

ngx_http_common() {
  cat <<EOF
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  client_max_body_size 16m;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
EOF
}

start_nginx() { # name cpu-list conf-text -> LAST_PID (master)
  local name=$1 cpus=$2
  printf '%s\n' "$3" > "$WORK/$name.conf"
  taskset -c "$cpus" nginx -e "$WORK/$name-error.log" -p "$WORK" -c "$WORK/$name.conf" \
    -g 'daemon off; master_process on;' > "$WORK/$name.out" 2>&1 &
  LAST_PID=$!; STARTED+=("$LAST_PID")
}

# The HTTP upstream of the reference: 5-byte answer on /, 64 KiB static file on /64k, and /post
# that reads the whole request body before answering (mirror runs in the precontent phase).
start_http_upstream() { # cpu
  start_nginx upstream "$1" "$(ngx_common upstream)
http {
$(ngx_http_common)
  sendfile on;
  server {
    listen 127.0.0.1:$P_UP backlog=4096;
    location = / { return 200 \"hello\"; }
    location = /post { mirror /m; client_body_buffer_size 2m; error_page 404 405 =200 /hello; }
    location = /hello { return 200 \"hello\"; }
    location = /m { internal; return 204; }
    location = /64k { alias $WORK/www/64k.bin; default_type application/octet-stream; }
  }
}"
  UP_MASTER=$LAST_PID
  wait_http "$P_UP" /
}

# nginx proxy_pass as the reference's B2 (64k buffers; equal to B for small bodies), with 1024 idle
# upstream connections kept instead of 64: at 1 000 client connections, 64 made nginx open and
# close an upstream connection per request (mosn-ts and haproxy keep theirs); same at 50.
start_nginx_http() { # cpu-list workers
  start_nginx "proxy-http-$2w" "$1" "$(ngx_common "proxy-http-$2w" "$2")
http {
$(ngx_http_common)
  upstream up { server 127.0.0.1:$P_UP; keepalive 1024; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$P_NGX backlog=4096;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_request_buffering off;
      proxy_max_temp_file_size 0;
      proxy_buffer_size 64k; proxy_buffers 4 64k; proxy_busy_buffers_size 128k; client_body_buffer_size 64k;
    }
  }
}"
}

start_nginx_stream() { # cpu-list listen-port upstream-port
  start_nginx "stream-$2" "$1" "load_module $NGX_MODDIR/ngx_stream_module.so;
$(ngx_common "stream-$2")
stream {
  upstream up { server 127.0.0.1:$3; }
  server { listen 127.0.0.1:$2 backlog=4096; proxy_pass up; tcp_nodelay on; }
}"
}

start_haproxy() { # cpu mode(http|tcp) port
  cat > "$WORK/haproxy-$2.cfg" <<EOF
global
  nbthread 1
  maxconn $(( ($(ulimit -n) - 100) / 2 ))
defaults
  mode $2
  timeout connect 5s
  timeout client 60s
  timeout server 60s
$( [ "$2" = http ] && echo "  option http-keep-alive" || true )
frontend fe
  bind 127.0.0.1:$3
  default_backend be
backend be
  server s1 127.0.0.1:$P_UP
EOF
  taskset -c "$1" haproxy -db -f "$WORK/haproxy-$2.cfg" > "$WORK/haproxy-$2.out" 2>&1 &
  LAST_PID=$!; STARTED+=("$LAST_PID")
}

# mosn-ts from the project root, as the reference's M/MT: node_modules/.bin/mosn-ts start -c ...
start_mosnts() { # cpu-list config-file workers [accept-mode]
  local cpus=$1 conf=$2 workers=$3 mode=${4:-} args=()
  [ -n "$mode" ] && args=(--accept-mode "$mode")
  ( cd "$ROOT" && PATH="$ROOT/node_modules/.bin:$PATH" exec taskset -c "$cpus" node_modules/.bin/mosn-ts start \
      -c "$conf" --workers "$workers" "${args[@]}" > "$WORK/$(basename "$conf" .json)-${workers}w${mode:+-$mode}.log" 2>&1 ) &
  LAST_PID=$!; STARTED+=("$LAST_PID")
}

start_node_ts() { # cpu name script args... (a perf/*.ts program on the pinned Node 24)
  local cpu=$1 name=$2 script=$3; shift 3
  taskset -c "$cpu" "$NODE" "$PERF_DIR/$script" "$@" > "$WORK/$name.out" 2>&1 &
  LAST_PID=$!; STARTED+=("$LAST_PID")
}

# After a start_* call: the proxy's main pid (PROXY_MAIN) and, once it answers HTTP on the port,
# the pids whose CPU is the proxy's (PPIDS: the process tree, e.g. nginx master + workers).
http_proxy_started() { # port
  PROXY_MAIN=$LAST_PID
  wait_http "$1" /
  PPIDS=$(tree_pids "$PROXY_MAIN")
}

tree_pids() { # pid -> pid and all descendants
  local c; echo -n "$1 "; for c in $(pgrep -P "$1"); do tree_pids "$c"; done
}

stop_pid() { # TERM, a second TERM after 3 s (mosn-ts: ends the drain), KILL after 5 s
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    [ "$i" = 30 ] && kill "$pid" 2>/dev/null
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
