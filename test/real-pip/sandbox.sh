#!/bin/bash
# The private machine a job runs on, for test/real-pip.test.ts. Run as root inside fresh mount and
# network namespaces (`unshare --mount --net --propagation private bash sandbox.sh …`):
#
#   sandbox.sh LAYERS WHEELHOUSE WORKDIR HIDDEN_PACKAGES SHELL_SCRIPT… -- ENV_ASSIGNMENT…
#
# * /usr, /etc and /var become overlays whose writable layer is a tmpfs under LAYERS, and /usr/local
#   and /root fresh tmpfs, empty as in a debian:bookworm image: what a job installs system-wide (the
#   override strategy, `sudo pip`) never reaches the host and is gone when the namespace ends, and
#   nothing the host has there (pip config in /root, packages in /usr/local) leaks into the job.
#   The host's own site pip config (/etc/xdg/pip) is hidden the same way. No network: pip can only
#   use the wheelhouse.
# * image-setup.sh then hides HIDDEN_PACKAGES (apt packages the host has but the job never installs:
#   no pip unless it installs python3-pip, no venv module unless python3-venv, no pipx, flit or sudo),
#   points pip at WHEELHOUSE through /etc/pip.conf, and replaces apt-get with a check.
# * Each SHELL_SCRIPT runs in its own `bash` process (GitLab: before_script+script, then after_script),
#   started from an empty environment plus ENV_ASSIGNMENTs, stdin from /dev/null, in WORKDIR; its exit
#   status is written to SHELL_SCRIPT.status.
set -eu
layers=$1 wheelhouse=$2 workdir=$3 hidden=$4
shift 4
scripts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  scripts+=("$1")
  shift
done
shift

. "$(dirname "$0")/sandbox-common.sh"
require_private_namespaces sandbox.sh

mkdir -p "$layers"
mount -t tmpfs -o mode=0755 real-pip "$layers"
for dir in usr etc var; do
  mkdir -p "$layers/$dir/upper" "$layers/$dir/work"
  mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$layers/$dir/upper,workdir=$layers/$dir/work" "/$dir"
done
mount -t tmpfs -o mode=0755 real-pip /usr/local
mkdir -p /usr/local/{bin,etc,games,include,lib,man,sbin,share,src}
# as Debian's pythonX.Y-minimal postinst makes it: pip's system-wide target (without it pip falls
# back to a --user install)
for stdlib in /usr/lib/python3.*/; do
  mkdir -p "/usr/local/lib/$(basename "$stdlib")/dist-packages"
done
mount -t tmpfs -o mode=0700 real-pip /root
if [ -d /etc/xdg/pip ]; then mount -t tmpfs -o mode=0755 real-pip /etc/xdg/pip; fi

bash "$(dirname "$0")/image-setup.sh" "$wheelhouse" "$hidden"

cd "$workdir"
status=0
for script in "${scripts[@]}"; do
  rc=0
  env -i "$@" /bin/bash --noprofile --norc "$script" </dev/null || rc=$?
  echo "$rc" >"$script.status"
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
