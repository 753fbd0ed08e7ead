#!/bin/sh
# keepalived liveness heartbeat for HA Control Room.
#
# Why: keepalived-notify.sh writes STATE_DIR/state-<instance>.json only on transitions, so after
# kill -9 (or SIGSTOP) of keepalived the file keeps saying MASTER forever. keepalived runs this
# script every second and it touches STATE_DIR/heartbeat; the dashboard trusts the state file only
# while that mtime is fresh (heartbeatMaxAgeMs, default 3000) and shows the node UNKNOWN otherwise.
#
# It must never change VRRP state. With `weight 0` a *failing* tracked script puts the instance in
# FAULT, so this script always exits 0, and `fall` is huge so that even a hung filesystem (the
# script killed at its timeout every second) never faults the node.
#
# Production deployment, on every keepalived node:
#   1. install -o root -g root -m 0755 keepalived-heartbeat.sh /usr/local/libexec/keepalived/
#      (enable_script_security refuses scripts that are not root-owned or sit in a folder a
#      non-root user can write; keep script_user root or a user that may write STATE_DIR)
#   2. STATE_DIR is the same folder the notify script writes, e.g. /var/lib/ha-control-room/vrrp/NODE,
#      readable by the dashboard host (shared mount or sync). The age is compared with the
#      dashboard's clock: keep both on NTP; over NFS the server's clock stamps the file.
#   3. keepalived.conf (then `systemctl reload keepalived`; the node keeps its state):
#        vrrp_script chk_hacr_heartbeat {
#            script "/usr/local/libexec/keepalived/keepalived-heartbeat.sh /var/lib/ha-control-room/vrrp/NODE NODE"
#            interval 1
#            timeout 1
#            rise 1
#            fall 1000000000
#            weight 0
#        }
#      and in every vrrp_instance (a script no instance tracks is never run):
#        track_script {
#            chk_hacr_heartbeat
#        }
#   4. Dashboard config: nothing to add when the file is `heartbeat` beside stateFile; otherwise
#      set `heartbeatFile` on the node (`heartbeatFile: false` turns the liveness check off).
#
# Usage: keepalived-heartbeat.sh STATE_DIR NODE
dir="${1:-}"
node="${2:-}"
[ -n "$dir" ] || exit 0
umask 022
f="$dir/heartbeat"
if [ ! -e "$f" ]; then
  mkdir -p "$dir" 2>/dev/null
  printf '%s\n' "$node" > "$f" 2>/dev/null
fi
touch "$f" 2>/dev/null
exit 0
