#!/bin/bash
# Makes the system it runs on look like the job's image, for the real-pip sandboxes (sandbox.sh on
# this host's overlays, sandbox-debian13.sh inside the Debian 13 root, through chroot):
#
#   image-setup.sh WHEELHOUSE HIDDEN_PACKAGES
#
# * HIDDEN_PACKAGES (space-separated) are apt packages installed here that the job never installs:
#   their files are removed, so the job sees an image without them.
# * /etc/pip.conf points every pip at WHEELHOUSE (--no-index --find-links), also where the PIP_*
#   variables do not reach (sudo resets the environment). `--isolated` ignores both, as on a runner.
# * apt-get / apt are replaced by a check that the named packages are installed; `update` is a no-op.
# Only ever run inside a sandbox's private mount namespace, on overlays.
set -eu
wheelhouse=$1 hidden=$2

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
# ci-lint real-pip: apt replaced by a check that the named packages are installed.
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
    echo "real-pip: apt packages present: ${pkgs[*]}"
    ;;
  *)
    echo "REAL-PIP-APT-UNSUPPORTED: apt-get $*" >&2
    exit 100
    ;;
esac
EOF
chmod 0755 /usr/bin/apt-get
cp /usr/bin/apt-get /usr/bin/apt

