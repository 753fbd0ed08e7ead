import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./wall.css";

export const metadata: Metadata = {
  title: "Wall · HA Control Room",
  description: "NOC wall display: the whole HA stack on one screen",
};

export const viewport: Viewport = { themeColor: "#030712", colorScheme: "dark" };

/** The wall has its own full-screen frame (see wall.css): no top navigation, no page margins. */
export default function WallLayout({ children }: { children: ReactNode }) {
  return children;
}
