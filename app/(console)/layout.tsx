import type { ReactNode } from "react";
import { TopNav } from "@/components/top-nav";

/** The console's frame: navigation and page margins. The wall (app/wall) lives outside it, full-screen. */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <TopNav title="HA Control Room" />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </>
  );
}
