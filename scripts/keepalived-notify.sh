#!/bin/sh
# keepalived notify hook for HA Control Room.
#   notify "/path/keepalived-notify.sh STATE_DIR NODE"
# keepalived appends: TYPE NAME STATE PRIORITY (e.g. INSTANCE VI_TRADING MASTER 100).
# Writes STATE_DIR/state-NAME.json atomically (the dashboard reads it) and appends to STATE_DIR/events.log.
# Written only on transitions: pair it with keepalived-heartbeat.sh, or a killed keepalived's last
# state (MASTER) would be believed forever. The priority is the one at the transition; for the current
# effective priority use keepalived-fifo.sh instead (keepalived's notify FIFO reports every change).
set -eu
# keepalived runs scripts with umask 077; the dashboard may run as another user and only reads.
umask 022
dir="$1"; node="$2"; type="$3"; name="$4"; state="$5"; prio="${6:-}"
case "$prio" in ''|*[!0-9]*) prio=null ;; esac
mkdir -p "$dir"
at=$(date +%s%3N)
tmp="$dir/.state-$name.json.$$"
printf '{"node":"%s","type":"%s","instance":"%s","state":"%s","priority":%s,"at":%s,"via":"notify"}\n' \
  "$node" "$type" "$name" "$state" "$prio" "$at" > "$tmp"
mv -f "$tmp" "$dir/state-$name.json"
printf '%s %s %s %s %s\n' "$at" "$node" "$name" "$state" "$prio" >> "$dir/events.log"
