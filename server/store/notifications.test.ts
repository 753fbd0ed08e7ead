import { describeNotificationStoreContract } from "./notifications-contract";
import { openStore } from "./store";

describeNotificationStoreContract("delivery store on in-memory PGlite", async () => [await openStore({ memory: true })]);
