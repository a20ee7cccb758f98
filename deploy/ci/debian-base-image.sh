#!/usr/bin/env bash
# Builds a JRE base image from Debian's packages only (no registry needed): a bookworm minbase root filesystem with
# openjdk-17-jre-headless, made by mmdebstrap from the mirror this machine's apt uses, imported into podman.
#
#   deploy/ci/debian-base-image.sh [IMAGE]        default IMAGE: localhost/rollcall-base:debian12-jre17
#
# Needs root, mmdebstrap and podman (deploy/ci/container-smoke.sh installs them). Reuses the image when it exists.
set -euo pipefail

image="${1:-localhost/rollcall-base:debian12-jre17}"
if podman image exists "$image"; then
  echo "Base image $image exists; reusing it"
  exit 0
fi

# The mirror apt is configured with (deb822 or one-line sources); fall back to Debian's default names.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 || true)
security=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep security | head -n1 || true)
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  security=$(awk '$1 == "deb" && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
mirror="${mirror:-http://deb.debian.org/debian}"
security="${security:-http://deb.debian.org/debian-security}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Building $image from $mirror (bookworm, minbase + openjdk-17-jre-headless)"
# openjdk's postinst needs /usr/share/man/man1 (made in a hook); docs, man pages and locales are left out.
mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
  --include=openjdk-17-jre-headless,ca-certificates,tzdata \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/bin/bash"]' "$work/rootfs.tar" "$image" >/dev/null
podman image inspect --format '{{.Id}} {{.Size}}' "$image"
