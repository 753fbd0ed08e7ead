import type { Metadata } from "next";
import { ApprovalsView } from "./approvals-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Approvals · HA Control Room" };

export default function ApprovalsPage() {
  return <ApprovalsView />;
}
