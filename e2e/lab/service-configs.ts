import path from "node:path";
import { stringify } from "yaml";
import {
  APPS, ETCD_MEMBERS, HAPROXY, HAPROXY_STATS_AUTH, HOST, NODE_HTTP_PORT, PATRONI_REST_AUTH, PG_AUTH, PG_NODES, PG_SCOPE,
  REDIS_AUTH, REDIS_MASTER_NAME, REDIS_NODES, SENTINEL_AUTH, SENTINELS, VRRP_CHECK_WEIGHT, VRRP_INSTANCES, VRRP_PRIORITY, paths, type VrrpNodeName,
  ALERTMANAGER, WEBHOOK_SINK,
} from "./topology";

/** Config text for each lab daemon. Timings are short but valid so failovers take seconds. */

export function etcdArgs(member: (typeof ETCD_MEMBERS)[number]): string[] {
  const c = `http://${HOST}:${member.client}`;
  const p = `http://${HOST}:${member.peer}`;
  return [
    "--name", member.name, "--data-dir", path.join(paths.etcd, member.name),
    "--listen-client-urls", c, "--advertise-client-urls", c,
    "--listen-peer-urls", p, "--initial-advertise-peer-urls", p,
    "--initial-cluster", ETCD_MEMBERS.map((m) => `${m.name}=http://${HOST}:${m.peer}`).join(","),
    "--initial-cluster-state", "new", "--initial-cluster-token", "hacr-lab-etcd",
  ];
}

/** Patroni requires loop_wait + 2 * retry_timeout <= ttl: 2 + 2*4 = 10. */
export const PATRONI_TIMING = { ttl: 10, loop_wait: 2, retry_timeout: 4 } as const;

export function patroniYaml(node: (typeof PG_NODES)[number]): string {
  const dir = path.join(paths.pg, node.name);
  return stringify({
    scope: PG_SCOPE,
    namespace: "/service/",
    name: node.name,
    // Patroni (and patronictl, which reads the same file) then demands basic auth on the unsafe endpoints.
    restapi: { listen: `${HOST}:${node.rest}`, connect_address: `${HOST}:${node.rest}`, authentication: PATRONI_REST_AUTH },
    etcd3: { hosts: ETCD_MEMBERS.map((m) => `${HOST}:${m.client}`), protocol: "http" },
    bootstrap: {
      dcs: {
        ...PATRONI_TIMING,
        maximum_lag_on_failover: 1048576,
        synchronous_mode: true,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: {
            wal_level: "replica", hot_standby: "on", max_wal_senders: 10, max_replication_slots: 10,
            wal_log_hints: "on", wal_keep_size: "64MB", shared_buffers: "32MB", max_connections: 100,
          },
        },
      },
      // auth-host md5: initdb's default is trust for TCP, which would make every password check a no-op.
      initdb: [{ encoding: "UTF8" }, "data-checksums", { "auth-local": "trust" }, { "auth-host": "md5" }],
      pg_hba: [
        "local all all trust",
        `host replication ${PG_AUTH.replication.username} 127.0.0.1/32 md5`,
        "host all all 127.0.0.1/32 md5",
      ],
    },
    postgresql: {
      listen: `${HOST}:${node.pg}`,
      connect_address: `${HOST}:${node.pg}`,
      data_dir: paths.pgData(node.name),
      bin_dir: "/usr/lib/postgresql/15/bin",
      pgpass: path.join(dir, "pgpass"),
      authentication: PG_AUTH,
      parameters: { unix_socket_directories: dir },
    },
    log: { level: "INFO" },
  });
}

export function haproxyCfg(): string {
  const pgServers = PG_NODES.map((n) => `    server ${n.name} ${HOST}:${n.pg} check port ${n.rest}`).join("\n");
  return `# Written by the lab. pg_rw/pg_ro follow Patroni's REST checks; trading uses a PING/PONG tcp-check.
global
    stats socket ${paths.haproxySocket} mode 600 level admin
    log stdout format iso local0 info

defaults
    mode tcp
    log global
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 1s

listen stats
    mode http
    bind ${HOST}:${HAPROXY.stats}
    stats enable
    stats uri /stats
    stats refresh 2s
    stats auth ${HAPROXY_STATS_AUTH.username}:${HAPROXY_STATS_AUTH.password}

# Read-write: only the Patroni leader answers 200 on /primary.
listen pg_rw
    bind ${HOST}:${HAPROXY.rw}
    option httpchk GET /primary
    http-check expect status 200
    option redispatch 1
    retries 3
    timeout connect 1s
    default-server inter 500ms fastinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions
${pgServers}

# Read-only: streaming replicas answer 200 on /replica.
listen pg_ro
    bind ${HOST}:${HAPROXY.ro}
    balance roundrobin
    option httpchk GET /replica
    http-check expect status 200
    default-server inter 500ms fastinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions
${pgServers}

# Trading engines, active-active.
listen trading
    bind ${HOST}:${HAPROXY.trading}
    balance leastconn
    option tcp-check
    tcp-check connect
    tcp-check send "PING\\r\\n"
    tcp-check expect string "PONG"
    default-server inter 1s rise 2 fall 3
    server te1 ${HOST}:${APPS.te1.tcp} check
    server te2 ${HOST}:${APPS.te2.tcp} check
`;
}

export function redisConf(node: (typeof REDIS_NODES)[number], replicaOf?: number): string {
  return [
    `port ${node.port}`,
    `bind ${HOST}`,
    `dir ${paths.redis}`,
    `dbfilename dump-${node.port}.rdb`,
    `save ""`,
    "appendonly no",
    `replica-announce-ip ${HOST}`,
    "maxmemory 64mb",
    "maxmemory-policy allkeys-lru",
    // Either node may become a replica after a failover, so both carry the replication credentials.
    ...redisAclLines(),
    `masteruser ${REDIS_AUTH.replica.username}`,
    `masterauth ${REDIS_AUTH.replica.password}`,
    ...(replicaOf ? [`replicaof ${HOST} ${replicaOf}`] : []),
    "",
  ].join("\n");
}

/**
 * ACL users, each with only what it needs (the Sentinel and replication command lists are Redis's
 * documented minimums). The monitor may read any key, INFO and PING, and nothing that writes.
 */
export function redisAclLines(): string[] {
  const { admin, monitor, replica, sentinel } = REDIS_AUTH;
  return [
    `user ${admin.username} on >${admin.password} ~* &* +@all`,
    `user ${monitor.username} on >${monitor.password} resetchannels %R~* -@all +ping +info +client|setname +select +mget +get`,
    `user ${replica.username} on >${replica.password} resetchannels -@all +psync +replconf +ping`,
    `user ${sentinel.username} on >${sentinel.password} allchannels -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill`,
  ];
}

/** The dashboard's Sentinel user: reads, event subscriptions and FAILOVER; no SET, RESET or REMOVE. */
const SENTINEL_DASHBOARD_COMMANDS = [
  "+ping", "+client|setname", "+psubscribe", "+sentinel|get-master-addr-by-name", "+sentinel|master", "+sentinel|replicas",
  "+sentinel|sentinels", "+sentinel|ckquorum", "+sentinel|failover",
].join(" ");

export function sentinelConf(s: (typeof SENTINELS)[number]): string {
  const master = REDIS_NODES[0];
  return [
    `port ${s.port}`,
    `bind ${HOST}`,
    `dir ${paths.redis}`,
    `sentinel announce-ip ${HOST}`,
    `requirepass ${SENTINEL_AUTH.admin.password}`,
    `user ${SENTINEL_AUTH.dashboard.username} on >${SENTINEL_AUTH.dashboard.password} allchannels -@all ${SENTINEL_DASHBOARD_COMMANDS}`,
    // Sentinels talk to each other as the default user, with requirepass's password.
    `sentinel sentinel-pass ${SENTINEL_AUTH.admin.password}`,
    `sentinel monitor ${REDIS_MASTER_NAME} ${HOST} ${master.port} 2`,
    `sentinel auth-user ${REDIS_MASTER_NAME} ${REDIS_AUTH.sentinel.username}`,
    `sentinel auth-pass ${REDIS_MASTER_NAME} ${REDIS_AUTH.sentinel.password}`,
    `sentinel down-after-milliseconds ${REDIS_MASTER_NAME} 1000`,
    `sentinel failover-timeout ${REDIS_MASTER_NAME} 3000`,
    `sentinel parallel-syncs ${REDIS_MASTER_NAME} 1`,
    "",
  ].join("\n");
}

/**
 * keepalived for one node. ka1 is the primary (state MASTER, priority 100), ka2 the standby (50).
 * The health check weight is -60: a weight of -20 could never move the VIP (see VRRP_CHECK_WEIGHT).
 */
export function keepalivedConf(node: VrrpNodeName, scriptsDir: string): string {
  const dir = path.join(paths.keepalived, node);
  const instances = VRRP_INSTANCES.map(
    (vi) => `
vrrp_instance ${vi.name} {
    state ${node === "ka1" ? "MASTER" : "BACKUP"}
    interface eth0
    virtual_router_id ${vi.vrid}
    priority ${VRRP_PRIORITY[node]}
    advert_int 1
    virtual_ipaddress {
        ${vi.vip}/24 dev eth0
    }
    track_script {
        chk_node_app
        chk_hacr_heartbeat
    }
    track_file {
        drain
    }
}
`,
  ).join("");
  return `# Written by the lab for node ${node}.
global_defs {
    router_id lab-${node}
    script_user root
    enable_script_security
    vrrp_garp_master_delay 1
    vrrp_garp_master_repeat 3
    # The dashboard's state files (state-<instance>.json): keepalived runs the reader itself and reports
    # every transition and, with vrrp_notify_priority_changes, every change of the effective priority.
    vrrp_notify_fifo ${dir}/vrrp.fifo
    vrrp_notify_fifo_script "${scriptsDir}/keepalived-fifo.sh ${dir} ${node}"
    vrrp_notify_priority_changes true
    fifo_write_vrrp_states_on_reload
}

vrrp_script chk_node_app {
    script "${scriptsDir}/node-check.sh"
    interval 1
    timeout 1
    rise 2
    fall 2
    weight ${VRRP_CHECK_WEIGHT}
}

# Liveness for the dashboard: touches ${dir}/heartbeat every second (the state file is written only
# on transitions). weight 0 never changes the priority; the script always exits 0 and the huge fall
# keeps even a hung filesystem from putting the node in FAULT.
vrrp_script chk_hacr_heartbeat {
    script "${scriptsDir}/keepalived-heartbeat.sh ${dir} ${node}"
    interval 1
    timeout 1
    rise 1
    fall 1000000000
    weight 0
}

# Runtime drain: write N to the file to lower the priority by N (the lab's \`drain\` writes 60).
track_file drain {
    file "${paths.drainFile(node)}"
    weight -1
    init_file 0
}
${instances}`;
}

/** Run inside the node's namespace by vrrp_script: the node is healthy while its app answers. */
export function nodeCheckScript(): string {
  return `#!/bin/sh
exec curl -sf --max-time 1 -o /dev/null http://127.0.0.1:${NODE_HTTP_PORT}/health
`;
}

/**
 * Alertmanager: every alert its own group (`...`), notified at once (group_wait 0s), a change within a
 * second (group_interval 1s), a repeat only after hours, so each notification the sink gets is the
 * answer to one change the dashboard sent.
 */
export function alertmanagerYml(): string {
  return stringify({
    route: { receiver: "sink", group_by: ["..."], group_wait: "0s", group_interval: "1s", repeat_interval: "4h" },
    receivers: [{ name: "sink", webhook_configs: [{ url: `${WEBHOOK_SINK.url}${WEBHOOK_SINK.paths.alertmanager}`, send_resolved: true }] }],
  });
}

export function alertmanagerArgs(): string[] {
  return [
    `--config.file=${paths.alertmanagerConfig}`,
    `--storage.path=${paths.alertmanagerData}`,
    `--web.listen-address=${HOST}:${ALERTMANAGER.port}`,
    `--web.external-url=${ALERTMANAGER.url}`,
    // No gossip: a single instance, and no port outside the lab's.
    "--cluster.listen-address=",
  ];
}
