#!/bin/sh
# Keeps the gateway's list of web instances in step with their readiness probes, as a load balancer with
# health checks does (nginx without NGINX Plus only notices a dead instance when a request fails there):
# an instance that is warming up or draining (/api/health?probe=web answers 503, server/readiness.ts) or
# not answering is marked `down`, and nginx is told to reload. A reload is graceful: nginx's old workers
# finish their requests and close their connections to the instance themselves, so a stopping instance
# never has a request cut off (scripts/web-shutdown.ts). When no instance is ready, all are kept: nginx
# then tries each and fails over as usual.
#   follow-readiness.sh <upstreams.conf> <nginx pid file> <host:port>...
set -u
conf=$1
pidfile=$2
shift 2
interval=${GATEWAY_READINESS_INTERVAL:-0.5}

server_line() { # address, extra
  printf 'server %s max_fails=1 fail_timeout=2s%s;\n' "$1" "$2"
}

while :; do
  ready=""
  not_ready=""
  for address in "$@"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://${address}/api/health?probe=web" || true)
    if [ "$status" = "200" ]; then ready="$ready $address"; else not_ready="$not_ready $address"; fi
  done
  next=$(
    for address in $ready; do server_line "$address" ""; done
    for address in $not_ready; do
      if [ -n "$ready" ]; then server_line "$address" " down"; else server_line "$address" ""; fi
    done
  )
  if [ "$next" != "$(cat "$conf" 2>/dev/null)" ]; then
    printf '%s\n' "$next" > "$conf.next" && mv "$conf.next" "$conf"
    if [ -s "$pidfile" ]; then
      kill -HUP "$(cat "$pidfile")" 2>/dev/null || true
      echo "[gateway] ready:${ready:- none}; not ready:${not_ready:- none}"
    fi
  fi
  sleep "$interval"
done
