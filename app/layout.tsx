import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/lib/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: "HA Control Room",
  description: "High-availability status of the trading stack",
  // The manifest (app/manifest.ts) is linked by Next itself.
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }], apple: "/icons/icon-192.png" },
};

export const viewport: Viewport = { themeColor: "#020617", colorScheme: "dark" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, the not-found page too: Next puts the CSP nonce (proxy.ts)
  // only on scripts it renders per request, and a prerendered page's scripts would be blocked.
  await connection();
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-slate-950 text-slate-200 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
