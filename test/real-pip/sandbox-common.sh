#!/bin/bash
# Sourced by the real-pip sandboxes (sandbox.sh, sandbox-debian13.sh): the guard that keeps them inside
# private namespaces.

# never outside private namespaces: everything a sandbox does changes / for its process tree only
require_private_namespaces() {
  if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/$PPID/ns/mnt)" ] ||
    [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/$PPID/ns/net)" ]; then
    echo "$1: run me with unshare --mount --net --propagation private" >&2
    exit 99
  fi
}
