#!/usr/bin/env bash
# Installs and starts a Docker engine, then builds the cardeval-sandbox image offline.
# Idempotent: every step is skipped when its result already exists. Meant for CI (root, Debian bookworm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
log="${DOCKERD_LOG:-/tmp/dockerd.log}"
pidfile="${DOCKERD_PIDFILE:-/tmp/dockerd.pid}"

say() { printf 'install-docker: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (apt-get and dockerd)"; exit 1
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" ca-certificates
else
  say "docker.io and debootstrap already installed"
fi

if docker info >/dev/null 2>&1; then
  say "a Docker engine already answers"
else
  say "starting dockerd (log: $log)"
  nohup dockerd >"$log" 2>&1 &
  echo $! >"$pidfile"
  say "dockerd pid $(cat "$pidfile")"
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "dockerd exited; last lines of $log:"; tail -n 20 "$log" >&2; exit 1
    fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    say "dockerd did not answer within 60 s; last lines of $log:"; tail -n 20 "$log" >&2; exit 1
  fi
  say "engine up: $(docker version --format '{{.Server.Version}}')"
fi

bash "$repo/docker/build-offline.sh"
