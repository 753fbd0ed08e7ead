import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { groupByProxy, parseHaproxyCsv, probeHaproxy } from "./haproxy";
import type { HaproxyTarget } from "./types";

/** Captured from HAProxy 2.6.12 (`stats uri`, `;csv`): te2 and pg2 down (L4CON), te1 L7OK by tcp-check, pg1 L7OK by httpchk. */
const SAMPLE = readFileSync(new URL("./fixtures/haproxy-2.6-stats.csv", import.meta.url), "utf8");

describe("parseHaproxyCsv", () => {
  it("parses a real HAProxy 2.6 stats CSV by header name", () => {
    const rows = parseHaproxyCsv(SAMPLE);
    expect(rows).toHaveLength(8);
    const te1 = rows.find((r) => r.proxy === "be_trading" && r.name === "te1");
    expect(te1).toMatchObject({ type: "server", status: "UP", checkStatus: "L7OK", active: 1, backup: 0, weight: 1, checkFailures: 0 });
    expect(te1?.lastChangeSeconds).toBeTypeOf("number");
    const te2 = rows.find((r) => r.proxy === "be_trading" && r.name === "te2");
    expect(te2).toMatchObject({ type: "server", status: "DOWN", checkStatus: "L4CON", checkFailures: 1 });
    const pg1 = rows.find((r) => r.name === "pg1");
    expect(pg1).toMatchObject({ status: "UP", checkStatus: "L7OK", checkCode: "200" });
    expect(rows.find((r) => r.name === "pg2")).toMatchObject({ status: "DOWN", backup: 1 });
    expect(rows.find((r) => r.proxy === "be_trading" && r.name === "BACKEND")).toMatchObject({ type: "backend", status: "UP" });
    expect(rows.find((r) => r.proxy === "fe_trading")).toMatchObject({ type: "frontend", status: "OPEN", checkStatus: null });
  });

  it("a poll that lands mid-check reads the last completed status, not '* L7STS' with code 0", () => {
    const [header, ...lines] = SAMPLE.trim().split("\n");
    const cols = header!.replace(/^# /, "").split(",");
    const at = (name: string) => cols.indexOf(name);
    const midCheck = lines.map((line) => {
      const f = line.split(",");
      if (f[at("svname")] !== "pg1") return line;
      f[at("check_status")] = `* ${f[at("check_status")]}`;
      f[at("check_code")] = "0";
      return f.join(",");
    });
    const pg1 = parseHaproxyCsv([header, ...midCheck].join("\n")).find((r) => r.name === "pg1");
    expect(pg1).toMatchObject({ checkStatus: "L7OK", checkRunning: true, checkCode: null });
    expect(parseHaproxyCsv(SAMPLE).find((r) => r.name === "pg1")).toMatchObject({ checkRunning: false, checkCode: "200" });
  });

  it("does not depend on column positions", () => {
    const [header, ...lines] = SAMPLE.trim().split("\n");
    const cols = header!.replace(/^# /, "").split(",");
    const order = cols.map((_, i) => i).reverse();
    const reorder = (line: string) => {
      const f = line.split(",");
      return order.map((i) => f[i] ?? "").join(",");
    };
    const shuffled = [`# ${reorder(header!.replace(/^# /, ""))}`, ...lines.map(reorder)].join("\n");
    expect(parseHaproxyCsv(shuffled)).toEqual(parseHaproxyCsv(SAMPLE));
  });

  it("reads quoted fields that contain commas", () => {
    const csv = '# pxname,svname,status,check_desc,type\nbe,s1,DOWN,"Layer4 timeout, check ""tcp""",2\n';
    expect(parseHaproxyCsv(csv)[0]).toMatchObject({ name: "s1", checkDescription: 'Layer4 timeout, check "tcp"' });
  });

  it("keeps HAProxy's transitional statuses verbatim", () => {
    const csv = SAMPLE.replace("be_trading,te1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,", "be_trading,te1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,").replace(
      "be_trading,te2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,",
      "be_trading,te2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN 1/2,",
    );
    const rows = parseHaproxyCsv(csv);
    expect(rows.find((r) => r.name === "te1")?.status).toBe("UP 1/3");
    expect(rows.find((r) => r.name === "te2")?.status).toBe("DOWN 1/2");
  });

  it("rejects text that is not stats CSV", () => {
    expect(() => parseHaproxyCsv("<html>login</html>")).toThrow(/header/);
  });

  it("groups rows by proxy", () => {
    const proxies = groupByProxy(parseHaproxyCsv(SAMPLE));
    expect(proxies.map((p) => p.name)).toEqual(["stats", "fe_trading", "be_trading", "be_pg_rw"]);
    const be = proxies.find((p) => p.name === "be_trading");
    expect(be?.servers.map((s) => s.name)).toEqual(["te1", "te2"]);
    expect(be?.backend?.status).toBe("UP");
  });
});

describe("haproxy collector", () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => close(s)));
  });

  async function statsServer(): Promise<number> {
    const s = http.createServer((req, res) => {
      const expected = `Basic ${Buffer.from("admin:stats-pw").toString("base64")}`;
      if (req.headers.authorization !== expected) return res.writeHead(401).end();
      res.writeHead(200, { "content-type": "text/plain" }).end(SAMPLE);
    });
    servers.push(s);
    return listen(s);
  }

  const target = (port: number, password: string): HaproxyTarget => ({
    id: "haproxy",
    component: "load-balancer",
    statsUrl: `http://127.0.0.1:${port}/stats;csv`,
    username: "admin",
    password: new Secret(password),
  });

  it("reads the stats page with basic auth", async () => {
    const r = await probeHaproxy(target(await statsServer(), "stats-pw"), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.proxies.find((p) => p.name === "be_pg_rw")?.servers).toHaveLength(2);
  });

  it("fails on a refused login without revealing the password", async () => {
    const r = await probeHaproxy(target(await statsServer(), "wrong-pw"), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("stats page refused the credentials (HTTP 401); check username and password");
    expect(JSON.stringify(r)).not.toContain("wrong-pw");
  });

  it("says credentials are missing when none are configured and the page demands them", async () => {
    const open: HaproxyTarget = { ...target(await statsServer(), "unused"), username: undefined, password: undefined };
    const r = await probeHaproxy(open, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("stats page requires credentials (HTTP 401, stats auth); set username and password");
  });

  it("fails on an HTML page that is not the CSV", async () => {
    const s = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"));
    servers.push(s);
    const r = await probeHaproxy({ ...target(await listen(s), "x"), username: undefined, password: undefined }, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("stats answer is not HAProxy CSV");
  });
});

describe("haproxy collector on the admin socket", () => {
  let dir: string;
  const sockets: net.Server[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "haproxy-sock-"));
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => close(s)));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A unix socket server standing in for HAProxy's admin socket. */
  async function adminSocket(onCommand: (cmd: string, s: net.Socket) => void): Promise<string> {
    const file = path.join(dir, "admin.sock");
    const s = net.createServer((sock) => {
      sock.on("error", () => {});
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString();
        if (buf.includes("\n")) onCommand(buf.trim(), sock);
      });
    });
    sockets.push(s);
    await new Promise<void>((resolve) => s.listen(file, resolve));
    return file;
  }
  const target = (statsSocket: string): HaproxyTarget => ({ id: "haproxy", component: "load-balancer", statsSocket });

  it("reads `show stat` and stops at EOF", async () => {
    let command = "";
    const file = await adminSocket((cmd, s) => {
      command = cmd;
      s.end(SAMPLE);
    });
    const r = await probeHaproxy(target(file), AbortSignal.timeout(1_000));
    expect(command).toBe("show stat");
    expect(r.ok).toBe(true);
    expect(r.data?.proxies.map((p) => p.name)).toEqual(["stats", "fe_trading", "be_trading", "be_pg_rw"]);
  });

  it("fails on an answer that is not CSV", async () => {
    const file = await adminSocket((_cmd, s) => s.end("Unknown command. Please enter one of the following commands only :\n"));
    const r = await probeHaproxy(target(file), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("stats answer is not HAProxy CSV");
  });

  it("gives up at the deadline when nothing answers", async () => {
    const file = await adminSocket(() => {});
    const start = performance.now();
    const r = await probeHaproxy(target(file), AbortSignal.timeout(300));
    expect(performance.now() - start).toBeLessThan(450);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no answer within the deadline/);
  });

  it("reports a missing socket without throwing", async () => {
    const r = await probeHaproxy(target(path.join(dir, "nope.sock")), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("no such file (admin socket)");
  });

  it("returns at once for an already aborted signal", async () => {
    const file = await adminSocket(() => {});
    const r = await probeHaproxy(target(file), AbortSignal.abort());
    expect(r.ok).toBe(false);
  });
});
