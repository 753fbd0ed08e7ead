import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Tests build into their own folder so a running demo (`npm run demo`) keeps serving.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  serverExternalPackages: ["@electric-sql/pglite", "ioredis"],
  allowedDevOrigins: ["127.0.0.1"],
  poweredByHeader: false,
  async rewrites() {
    return {
      // A wall screen opens /wall?kiosk=<token>; app/api/kiosk swaps the token for a cookie and redirects.
      beforeFiles: [{ source: "/wall", has: [{ type: "query", key: "kiosk" }], destination: "/api/kiosk" }],
      afterFiles: [],
      fallback: [],
    };
  },
};

export default nextConfig;
