/** Writes every service's configuration into the lab folder, and the dashboard's own config. */
import { chmodSync, copyFileSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { labDashboardConfigYaml } from "./dashboard-config";
import { writeDemoUsers } from "./demo-users";
import { writeOidcUsers } from "./oidc-users";
import { REPO } from "./daemons";
import { PG_NODES, SECRET_FILES, REDIS_NODES, SENTINELS, VRRP_NODES, WEBHOOK_SECRET, paths } from "./topology";
import { ensureDir, run, writeFile } from "./proc";
import { alertmanagerYml, haproxyCfg, keepalivedConf, nodeCheckScript, patroniYaml, redisConf, sentinelConf } from "./service-configs";

export function writeConfigs(): void {
  for (const dir of [paths.etcd, paths.pg, paths.redis, paths.haproxy, paths.keepalived, paths.secrets, paths.storePg, paths.alerting]) rmSync(dir, { recursive: true, force: true });
  ensureDir(paths.root);
  chmodSync(paths.root, 0o755); // PostgreSQL runs as postgres and must traverse it
  ensureDir(paths.secrets, 0o700);
  for (const [name, secret] of Object.entries(SECRET_FILES)) writeFile(path.join(paths.secrets, name), `${secret}\n`, 0o600);

  ensureDir(paths.etcd);
  for (const n of PG_NODES) {
    ensureDir(path.join(paths.pg, n.name), 0o700);
    writeFile(path.join(paths.pg, `${n.name}.yml`), patroniYaml(n));
  }
  run("chown", ["-R", "postgres:postgres", paths.pg]);

  REDIS_NODES.forEach((n, i) => writeFile(path.join(paths.redis, `${n.name}.conf`), redisConf(n, i === 0 ? undefined : REDIS_NODES[0].port)));
  for (const s of SENTINELS) writeFile(path.join(paths.redis, `${s.name}.conf`), sentinelConf(s));

  writeFile(path.join(paths.haproxy, "haproxy.cfg"), haproxyCfg());

  // keepalived's script security wants root-owned scripts in folders only root can write.
  const bin = path.join(paths.keepalived, "bin");
  ensureDir(bin, 0o755);
  for (const script of ["keepalived-notify.sh", "keepalived-fifo.sh", "keepalived-heartbeat.sh"]) {
    copyFileSync(path.join(REPO, "scripts", script), path.join(bin, script));
    chmodSync(path.join(bin, script), 0o755);
  }
  writeFile(path.join(bin, "node-check.sh"), nodeCheckScript(), 0o755);
  for (const n of VRRP_NODES) {
    const dir = path.join(paths.keepalived, n.name);
    ensureDir(path.join(dir, "tmp"));
    writeFile(path.join(dir, "www", "name"), `${n.name}\n`);
    writeFile(path.join(dir, "www", "health"), "ok\n");
    writeFile(paths.drainFile(n.name), "0\n");
    writeFile(path.join(dir, "keepalived.conf"), keepalivedConf(n.name, bin));
  }
  writeDashboardConfig();
}

export function writeDashboardConfig(): void {
  writeAlertingConfigs();
  writeOidcUsers();
  writeDemoUsers();
  writeFile(paths.config, labDashboardConfigYaml());
}

/** Alertmanager's config, and the webhook signing secret unless this lab already has one (a running dashboard holds it). */
function writeAlertingConfigs(): void {
  writeFile(paths.alertmanagerConfig, alertmanagerYml());
  ensureDir(paths.alertmanagerData);
  const secret = path.join(paths.secrets, WEBHOOK_SECRET.file);
  if (!existsSync(secret)) writeFile(secret, `${WEBHOOK_SECRET.make()}\n`, 0o600);
}
