#!/bin/bash
# keepalived notify-FIFO reader for HA Control Room: the VRRP state AND the effective priority.
#
# Why: a notify script is called only on state transitions, so the priority it gets is stale as soon
# as a tracked script, interface or file (a drain) changes it. keepalived's notify FIFO, with
# vrrp_notify_priority_changes, also reports every priority change:
#   INSTANCE "VI_TRADING" MASTER 100          (a transition, with the effective priority)
#   INSTANCE "VI_TRADING" MASTER_PRIORITY 40  (the priority changed, still MASTER)
#   INSTANCE "VI_TRADING" BACKUP_PRIORITY 50
# keepalived starts this script itself (vrrp_notify_fifo_script), appending the FIFO path as the last
# argument. For every instance line it rewrites STATE_DIR/state-<instance>.json atomically, in the same
# format as keepalived-notify.sh plus "via":"fifo" (the dashboard then knows the priority is current),
# and appends the line to STATE_DIR/events.log. Use it instead of keepalived-notify.sh, not beside it:
# two writers of one state file could reorder a transition.
#
# Production deployment, on every keepalived node (keepalived >= 2.0):
#   1. install -o root -g root -m 0755 keepalived-fifo.sh keepalived-heartbeat.sh /usr/local/libexec/keepalived/
#   2. keepalived.conf:
#        global_defs {
#            vrrp_notify_fifo /run/keepalived/hacr.fifo
#            vrrp_notify_fifo_script "/usr/local/libexec/keepalived/keepalived-fifo.sh /var/lib/ha-control-room/vrrp/NODE NODE"
#            vrrp_notify_priority_changes true
#            fifo_write_vrrp_states_on_reload
#        }
#      and drop `notify ".../keepalived-notify.sh ..."` from the vrrp_instances. Then reload keepalived.
#   3. Keep the heartbeat (keepalived-heartbeat.sh): this file, too, is silent when keepalived dies.
#
# Usage (by keepalived): keepalived-fifo.sh STATE_DIR NODE FIFO
set -u
dir="${1:?state dir}"
node="${2:?node name}"
fifo="${3:?fifo path (keepalived appends it)}"
umask 022
mkdir -p "$dir"

declare -A state=() at=()

write() { # name state priority at
  local tmp="$dir/.state-$1.json.$$"
  printf '{"node":"%s","type":"INSTANCE","instance":"%s","state":"%s","priority":%s,"at":%s,"via":"fifo"}\n' \
    "$node" "$1" "$2" "$3" "$4" > "$tmp" && mv -f "$tmp" "$dir/state-$1.json"
}

handle() { # one FIFO line
  local type name st prio now
  read -r type name st prio <<< "$1"
  [ "$type" = INSTANCE ] || return 0
  name="${name//\"/}"
  case "$name" in ''|*[!A-Za-z0-9_.-]*) return 0 ;; esac
  case "$prio" in ''|*[!0-9]*) prio=null ;; esac
  now=$(date +%s%3N)
  case "$st" in
    MASTER|BACKUP|FAULT|STOP)
      state[$name]=$st
      at[$name]=$now
      ;;
    MASTER_PRIORITY|BACKUP_PRIORITY)
      # A priority change: the state stays; if this reader has not seen one yet, the line names it.
      [ -n "${state[$name]:-}" ] || { state[$name]=${st%_PRIORITY}; at[$name]=null; }
      ;;
    *) return 0 ;; # MASTER_RX_LOWER_PRI and anything newer: not a state
  esac
  write "$name" "${state[$name]}" "$prio" "${at[$name]}"
  printf '%s %s %s %s %s\n' "$now" "$node" "$name" "$st" "$prio" >> "$dir/events.log"
}

trap 'exit 0' TERM INT
while :; do
  # keepalived reopens the FIFO on reload; EOF just means "open it again". A reader whose keepalived is
  # gone exits, so a restarted keepalived's new reader never shares the FIFO with a stale one.
  while IFS= read -r line; do handle "$line"; done < "$fifo"
  kill -0 "$PPID" 2>/dev/null || exit 0
  [ -p "$fifo" ] || exit 0
done
