import type { MetadataRoute } from "next";

/**
 * Lets a wall screen install the dashboard and open /wall full-screen as a kiosk app. Served as
 * /manifest.webmanifest without a session (it is outside the console's sign-in layout), like the icons in public/.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "HA Control Room",
    short_name: "HA Wall",
    description: "NOC wall display: the whole HA stack on one screen",
    id: "/wall",
    start_url: "/wall",
    scope: "/",
    display: "fullscreen",
    orientation: "landscape",
    background_color: "#030712",
    theme_color: "#030712",
    icons: [
      { src: "/favicon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
