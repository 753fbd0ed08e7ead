/** The HAProxy panel: backends with servers, how many are UP, and each server's last check. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";
import { unitsOfKind } from "@/lib/unit-data";

export interface HaproxyServerModel {
  name: string;
  status: string;
  check: string | null;
}

export interface HaproxyBackendModel {
  name: string;
  status: string;
  up: number;
  servers: HaproxyServerModel[];
}

export interface HaproxyModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  backends: HaproxyBackendModel[];
  sig: string;
}

export function haproxyModels(s: Snapshot): HaproxyModel[] {
  return unitsOfKind(s, "haproxy")
    .map<HaproxyModel>((u) => {
      const d = u.data;
      const backends = (d?.proxies ?? [])
        .filter((p) => p.backend && p.servers.length > 0)
        .map<HaproxyBackendModel>((p) => ({
          name: p.name,
          status: p.backend?.status ?? "",
          up: p.servers.filter((x) => x.status === "UP" || x.status.startsWith("UP ")).length,
          servers: p.servers.map((x) => ({ name: x.name, status: x.status, check: x.checkStatus })),
        }));
      const suspect = suspectOf(u.suspect);
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        backends,
        sig: [u.label, u.status, suspectSig(suspect), ...backends.map((b) => `${b.name}${b.status}:${b.servers.map((x) => `${x.name}=${x.status}`).join(",")}`)].join(SEP),
      };
    });
}
