#!/usr/bin/env bash
# Builds the cardeval-sandbox image without a registry: debootstrap a minimal Debian with python3, then `docker import`.
# Same contract as docker/Dockerfile: python3 on PATH, user `sandbox` (uid/gid 10001), WORKDIR /work.
# Usage: docker/build-offline.sh [--force]    env: IMAGE, SUITE, MIRROR, PACKAGES
set -euo pipefail

image="${IMAGE:-cardeval-sandbox}"
suite="${SUITE:-bookworm}"
packages="${PACKAGES:-python3}"
sandbox_uid=10001
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "build-offline: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'build-offline: %s\n' "$*"; }

if [ "$force" -eq 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  say "image $image already exists (pass --force to rebuild)"; exit 0
fi
if [ "$(id -u)" -ne 0 ]; then say "debootstrap needs root"; exit 1; fi
command -v debootstrap >/dev/null || { say "debootstrap is not installed (apt-get install -y debootstrap)"; exit 1; }

# The mirror apt already uses: deb822 sources first, then the one-line format.
find_mirror() {
  local f line
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    line="$(grep -m1 -E '^URIs:.*/debian/?( |$)' "$f" || true)"
    if [ -n "$line" ]; then echo "$line" | awk '{print $2}'; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    line="$(grep -m1 -E '^deb +(\[[^]]*\] +)?[a-z]+://[^ ]*/debian/? ' "$f" || true)"
    if [ -n "$line" ]; then echo "$line" | sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{print $1}'; return; fi
  done
}
mirror="${MIRROR:-$(find_mirror)}"
mirror="${mirror:-http://deb.debian.org/debian}"

tmp="$(mktemp -d /var/tmp/cardeval-rootfs.XXXXXX)"
root="$tmp/root"
cleanup() {
  # debootstrap may leave proc/sys mounted inside the rootfs when it fails; never recurse into them.
  set +e
  grep -o " $root/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

say "debootstrap $suite (minbase + $packages) from $mirror into $root"
start=$(date +%s)
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 || {
  say "debootstrap failed; last lines:"; tail -n 30 "$tmp/debootstrap.log" >&2; exit 1
}

# The same non-root user as the Dockerfile; no login shell, no password.
chroot "$root" groupadd --gid "$sandbox_uid" sandbox
chroot "$root" useradd --uid "$sandbox_uid" --gid "$sandbox_uid" --no-create-home --home-dir /work --shell /usr/sbin/nologin sandbox
mkdir -p "$root/work"
chown "$sandbox_uid:$sandbox_uid" "$root/work"

# Small image: no package caches, lists, docs, manuals, translations or logs.
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
       "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/var/log/* "$root"/tmp/* \
       "$root"/var/tmp/*
# The host's resolver and hostname must not leak into the image; Docker supplies its own at run time.
: >"$root/etc/resolv.conf"
: >"$root/etc/hostname"

old_id="$(docker image inspect "$image" --format '{{.Id}}' 2>/dev/null || true)"
say "importing as $image"
tar --numeric-owner -C "$root" -c . | docker import \
  --change 'USER 10001:10001' \
  --change 'WORKDIR /work' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1' \
  --change 'LABEL org.opencontainers.image.title=cardeval-sandbox org.opencontainers.image.source=docker/build-offline.sh' \
  --change 'CMD ["python3"]' \
  - "$image" >/dev/null

new_id="$(docker image inspect "$image" --format '{{.Id}}')"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi

out="$(docker run --rm --network none "$image" python3 -c 'import os, sys; print(os.getuid(), sys.version.split()[0])')"
say "built $image in $(( $(date +%s) - start )) s: uid+python $out, size $(docker image inspect "$image" --format '{{.Size}}') bytes"
