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
# * /etc/pip.conf points every pip at WHEELHOUSE (--no-index --find-links), also where the PIP_*
#   variables do not reach (sudo resets the environment). `--isolated` ignores both, as on a real runner.
# * HIDDEN_PACKAGES (space-separated) are apt packages the host has but the job never installs: their
#   files are removed from the overlays, so the job sees an image without them (no pip unless it
#   installs python3-pip, no venv module unless python3-venv, no pipx, flit or sudo).
# * apt-get / apt are replaced by a check that the named packages are installed; `update` is a no-op.
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

# never outside private namespaces: everything below changes / for this process tree only
if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/$PPID/ns/mnt)" ] ||
  [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/$PPID/ns/net)" ]; then
  echo 'sandbox.sh: run me with unshare --mount --net --propagation private' >&2
  exit 99
fi

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

# merged /usr: /bin, /lib … are symlinks into /usr, so a package's /bin/x is /usr/bin/x
merged=()
for d in bin sbin lib lib32 lib64 libx32; do [ -L "/$d" ] && merged+=("$d"); done
files=() dirs=()
for pkg in $hidden; do
  while IFS= read -r path; do
    for d in "${merged[@]}"; do
      case $path in "/$d/"*) path="/usr$path" ;; esac
    done
    case $path in /usr/* | /etc/* | /var/*) ;; *) continue ;; esac
    if [ -d "$path" ] && [ ! -L "$path" ]; then dirs+=("$path"); else files+=("$path"); fi
  done < <(dpkg-query -L "$pkg")
done
if [ ${#files[@]} -gt 0 ]; then rm -f -- "${files[@]}"; fi
# directories the packages leave empty go too (an empty pip/ would still import as a namespace package)
if [ ${#dirs[@]} -gt 0 ]; then
  # with the bytecode Debian compiled at install time (what py3clean removes on uninstall)
  for d in "${dirs[@]}"; do
    if [ -d "$d/__pycache__" ]; then rm -rf -- "$d/__pycache__"; fi
  done
  printf '%s\n' "${dirs[@]}" | sort -r | xargs -r -d '\n' rmdir --ignore-fail-on-non-empty -- 2>/dev/null || true
fi

cat >/etc/pip.conf <<EOF
[global]
no-index = true
find-links = $wheelhouse
disable-pip-version-check = true
no-cache-dir = true
root-user-action = ignore
EOF

cat >/usr/bin/apt-get <<'EOF'
#!/bin/bash
# ci-lint real-pip: apt replaced by a check that the named packages are installed on the host.
sub='' pkgs=() skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case $a in
    -o | -t | -c | --option | --target-release | --config-file) skip=1 ;;
    -*) ;;
    *) if [ -z "$sub" ]; then sub=$a; else pkgs+=("$a"); fi ;;
  esac
done
case $sub in
  update) exit 0 ;;
  install)
    missing=()
    for p in "${pkgs[@]}"; do
      p=${p%%=*}
      p=${p%%:*}
      [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = 'install ok installed' ] || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "REAL-PIP-HOST-MISSING: ${missing[*]}" >&2
      exit 100
    fi
    echo "real-pip: apt packages present on the host: ${pkgs[*]}"
    ;;
  *)
    echo "REAL-PIP-APT-UNSUPPORTED: apt-get $*" >&2
    exit 100
    ;;
esac
EOF
chmod 0755 /usr/bin/apt-get
cp /usr/bin/apt-get /usr/bin/apt

cd "$workdir"
status=0
for script in "${scripts[@]}"; do
  rc=0
  env -i "$@" /bin/bash --noprofile --norc "$script" </dev/null || rc=$?
  echo "$rc" >"$script.status"
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
