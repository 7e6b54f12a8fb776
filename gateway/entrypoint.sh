#!/bin/sh
# The gateway container's entry point (Dockerfile.gateway): fills in gateway/nginx.conf.template from
# the environment, then runs nginx in the foreground.
#   GATEWAY_UPSTREAMS  space-separated host:port of the web instances (default web:3000)
#   GATEWAY_PURGE_FROM space-separated addresses/CIDRs allowed to PURGE on the purge port (default: private networks)
#   GATEWAY_LISTEN     the readers' port (default 8080); GATEWAY_PURGE_LISTEN the purge port (default 8081)
set -eu
allow=""
for address in ${GATEWAY_PURGE_FROM:-10.0.0.0/8 172.16.0.0/12 192.168.0.0/16}; do
  allow="${allow}allow ${address}; "
done
upstreams=${GATEWAY_UPSTREAMS:-web:3000}
mkdir -p /var/cache/inkwell-gateway /run/inkwell-gateway /var/log/inkwell-gateway
# Every instance up to begin with; follow-readiness.sh marks those not ready `down` from then on.
for address in $upstreams; do
  echo "server ${address} max_fails=1 fail_timeout=2s;"
done > /run/inkwell-gateway/upstreams.conf
sed -e "s#{{MODULES_DIR}}#/usr/lib/nginx/modules#" \
    -e "s#{{WORKERS}}#auto#" \
    -e "s#{{RUN_DIR}}#/run/inkwell-gateway#g" \
    -e "s#{{LOG_DIR}}#/var/log/inkwell-gateway#g" \
    -e "s#{{CACHE_DIR}}#/var/cache/inkwell-gateway#" \
    -e "s#{{CACHE_MAX_SIZE}}#${GATEWAY_CACHE_MAX_SIZE:-1g}#" \
    -e "s#{{LISTEN}}#${GATEWAY_LISTEN:-8080}#" \
    -e "s#{{PURGE_LISTEN}}#${GATEWAY_PURGE_LISTEN:-8081}#" \
    -e "s#{{PURGE_ALLOW}}#${allow}#" \
    -e "s#{{UPSTREAMS_FILE}}#/run/inkwell-gateway/upstreams.conf#" \
    /etc/inkwell-gateway/nginx.conf.template > /etc/inkwell-gateway/nginx.conf
# shellcheck disable=SC2086 # one argument per address
/usr/local/bin/inkwell-follow-readiness /run/inkwell-gateway/upstreams.conf /run/inkwell-gateway/nginx.pid $upstreams &
exec nginx -c /etc/inkwell-gateway/nginx.conf -g "daemon off;"
