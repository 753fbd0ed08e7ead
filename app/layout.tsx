import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TopNav } from "@/components/top-nav";
import { TRPCReactProvider } from "@/lib/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: "HA Control Room",
  description: "High-availability status of the trading stack",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-slate-950 text-slate-200 antialiased">
        <TopNav title="HA Control Room" />
        <TRPCReactProvider>
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
