# perf/lib/mosn-config.sh -- the MOSN v2 configs mosn-ts runs with (written into $WORK).
# Same shape as the reference's M/MT configs; the RPC one routes on the `service` header.

mosn_config() { # file listen-port router-json filter-json cluster-port
  cat > "$1" <<EOF
{
  "servers": [{
    "default_log_path": "stdout", "default_log_level": "ERROR",
    "routers": [ $3 ],
    "listeners": [{ "name": "bench", "address": "127.0.0.1:$2", "bind_port": true,
      "filter_chains": [{ "filters": [ $4 ] }] }]
  }],
  "cluster_manager": { "clusters": [{ "name": "up", "type": "SIMPLE", "lb_type": "LB_ROUNDROBIN",
    "hosts": [{ "address": "127.0.0.1:$5" }] }] }
}
EOF
}

# Every HTTP/TCP bench listener routes everything to the one upstream cluster.
BENCH_ROUTER='{ "router_config_name": "bench", "virtual_hosts": [{ "name": "all", "domains": ["*"],
  "routers": [{ "match": { "prefix": "/" }, "route": { "cluster_name": "up" } }] }] }'

# The reference's scenario M, plus (MOSN_HTTP_MODE=same-work) the header additions nginx
# proxy_pass does not make switched off, so both proxies do the same work per request.
mosn_http_config() { # file
  local ext=""
  if [ "$MOSN_HTTP_MODE" = same-work ]; then
    ext=', "extend_config": { "Http1": { "x_forwarded_for": false, "x_forwarded_proto": false, "generate_request_id": false } }'
  fi
  mosn_config "$1" "$P_MOSN" \
    "$BENCH_ROUTER" \
    "{ \"type\": \"proxy\", \"config\": { \"downstream_protocol\": \"Http1\", \"upstream_protocol\": \"Http1\", \"router_config_name\": \"bench\"$ext } }" \
    "$P_UP"
}

# The reference's scenario MT.
mosn_tcp_config() { # file
  mosn_config "$1" "$P_MOSN_TCP" \
    "$BENCH_ROUTER" \
    '{ "type": "tcp_proxy", "config": { "stat_prefix": "bench", "cluster": "up" } }' \
    "$P_UP"
}

mosn_rpc_config() { # file protocol(bolt|dubbo) service upstream-port
  mosn_config "$1" "$P_MOSN_RPC" \
    "{ \"router_config_name\": \"bench\", \"virtual_hosts\": [{ \"name\": \"rpc\", \"domains\": [\"*\"],
       \"routers\": [{ \"match\": { \"headers\": [{ \"name\": \"service\", \"value\": \"$3\" }] }, \"route\": { \"cluster_name\": \"up\" } }] }] }" \
    "{ \"type\": \"proxy\", \"config\": { \"downstream_protocol\": \"$2\", \"upstream_protocol\": \"$2\", \"router_config_name\": \"bench\" } }" \
    "$4"
}
