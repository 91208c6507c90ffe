#!/bin/bash
# The private machine a job runs on, for test/real-pip-debian13.test.ts: a Debian 13 root made by
# debian13-root.sh. Run as root inside fresh mount and network namespaces
# (`unshare --mount --net --propagation private bash sandbox-debian13.sh …`):
#
#   sandbox-debian13.sh ROOT LAYERS RUNDIR WHEELHOUSE HIDDEN_PACKAGES SHELL_SCRIPT… -- ENV_ASSIGNMENT…
#
# * ROOT is the lower layer of an overlay whose writable layer is a tmpfs at LAYERS: what a job
#   installs or deletes (apt, pip, an uninstall of apt's files) is gone when the namespace ends, and the
#   cached root stays as built. /proc and /dev come from the host.
# * RUNDIR (scripts, per-line output, the scratch project) and WHEELHOUSE are bind-mounted at the same
#   paths inside the root, so every path means the same on both sides.
# * image-setup.sh, run in the root, hides HIDDEN_PACKAGES (what the root has beyond minbase and the
#   job's apt lines do not bring: the job sees debian:trixie plus what it installs), points pip at
#   WHEELHOUSE through /etc/pip.conf, and replaces apt-get with a check. No network.
# * Each SHELL_SCRIPT runs with `chroot ROOT bash`, from an empty environment plus ENV_ASSIGNMENTs,
#   stdin from /dev/null, in RUNDIR/project; its exit status is written to SHELL_SCRIPT.status.
set -eu
root=$1 layers=$2 rundir=$3 wheelhouse=$4 hidden=$5
shift 5
scripts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  scripts+=("$1")
  shift
done
shift

. "$(dirname "$0")/sandbox-common.sh"
require_private_namespaces sandbox-debian13.sh

mkdir -p "$layers"
mount -t tmpfs -o mode=0755 real-pip "$layers"
mkdir -p "$layers/upper" "$layers/work" "$layers/merged"
m=$layers/merged
mount -t overlay overlay -o "lowerdir=$root,upperdir=$layers/upper,workdir=$layers/work" "$m"
mount -t proc proc "$m/proc"
mount --bind /dev "$m/dev"
for d in "$rundir" "$wheelhouse"; do
  mkdir -p "$m$d"
  mount --bind "$d" "$m$d"
done

# the image's look (hidden packages, pip.conf, apt check), from inside the root
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$m$here"
mount --bind -o ro "$here" "$m$here"
chroot "$m" /bin/bash "$here/image-setup.sh" "$wheelhouse" "$hidden"

status=0
for script in "${scripts[@]}"; do
  rc=0
  chroot "$m" /usr/bin/env -i "$@" /bin/bash --noprofile --norc -c 'cd "$1/project" && exec /bin/bash --noprofile --norc "$2"' sh "$rundir" "$script" </dev/null || rc=$?
  echo "$rc" >"$script.status"
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
