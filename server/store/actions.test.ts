import { describeActionStoreContract } from "./actions-contract";
import { openStore } from "./store";

describeActionStoreContract("action store on in-memory PGlite", async () => [await openStore({ memory: true })]);
