#!/bin/bash
# Builds, once, the Debian 13 root that test/real-pip-debian13.test.ts runs jobs in:
#
#   debian13-root.sh DIR MIRROR PACKAGE…
#
# `debootstrap --variant=minbase trixie` from MIRROR (the mirror this machine's apt uses), then
# PACKAGEs installed with their Depends (no Recommends: the proof needs no compilers). What minbase
# itself has is listed in DIR/.ci-lint-minbase-packages: each run hides every other package its job's
# apt lines do not bring (sandbox-debian13.sh), so a job sees the image it names plus what it installs.
# DIR appears only when complete (built beside it, then renamed), so an interrupted build is never
# reused. Exit 3: the mirror cannot be reached.
set -euo pipefail
dir=$1 mirror=$2
shift 2
[ -f "$dir/.ci-lint-root-complete" ] && exit 0
tmp="$dir.building.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$dir")"
# without the mirror there is nothing to prove: say so with a distinct status
if ! debootstrap --variant=minbase trixie "$tmp" "$mirror" >"$tmp.log" 2>&1; then
  tail -20 "$tmp.log" >&2
  if grep -qE 'Failed getting release file|Couldn.t download|Could not resolve|unable to resolve|Connection (refused|timed out)' "$tmp.log"; then
    rm -f "$tmp.log"
    exit 3
  fi
  rm -f "$tmp.log"
  exit 1
fi
rm -f "$tmp.log"
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$tmp/etc/apt/apt.conf.d/99ci-lint"
chroot "$tmp" dpkg-query -W -f '${Package}\n' >"$tmp/.ci-lint-minbase-packages"
chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -qq && apt-get install -y -qq "$@" >/dev/null && apt-get clean' sh "$@"
touch "$tmp/.ci-lint-root-complete"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
