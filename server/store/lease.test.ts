import { describeLeaseContract } from "./lease-contract";
import { openStore } from "./store";

describeLeaseContract("writer lease on PGlite", async () => {
  const s = await openStore({ memory: true });
  return [s, s];
});
