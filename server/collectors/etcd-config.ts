import { z } from "zod";
import { HttpUrl, SecretRef } from "@/server/config/fields";

/**
 * `clusters[].dcs`: the etcd cluster (v3 API) a Patroni cluster keeps its leader key in. Its own file
 * so patroni.ts can embed it without importing the etcd collector, which reads the same section.
 */
export const EtcdDcs = z
  .strictObject({
    /** Every member's client URL, as Patroni's `etcd3.hosts` lists them (http:// or https://). */
    endpoints: z
      .array(HttpUrl, { error: "expected a list of etcd client URLs such as http://10.0.1.30:2379" })
      .min(1, { error: "list at least one etcd client URL, e.g. http://10.0.1.30:2379 (every member, as in Patroni's etcd3.hosts)" }),
    /** etcd's auth (`etcdctl user add`): exchanged for a token at /v3/auth/authenticate. */
    username: z.string().min(1, { error: "expected the etcd user name" }).optional(),
    password: SecretRef.optional(),
    /** PEM contents by reference, like every other secret: `{ file: etcd-ca.pem }` or `{ env: ETCD_CA }`. */
    tls: z
      .strictObject({ ca: SecretRef.optional(), cert: SecretRef.optional(), key: SecretRef.optional() })
      .refine((t) => (t.cert === undefined) === (t.key === undefined), {
        error: "give both cert and key (a client certificate and its private key), or neither",
        path: ["key"],
      })
      .optional(),
  })
  .refine((d) => (d.username === undefined) === (d.password === undefined), {
    error: "give both username and password (etcd's auth), or neither",
    path: ["password"],
  })
  .refine((d) => d.tls === undefined || d.endpoints.every((e) => e.startsWith("https://")), {
    error: "tls is only used with https:// endpoints; write the endpoints as https://, or drop tls",
    path: ["tls"],
  });
