// The console is built into hashed files under assets/ (cached as
// immutable by schakeld) and an index.html (never cached). The output
// directory comes from SCHAKEL_WEB_OUT (the CMake build), else dist/.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: process.env.SCHAKEL_WEB_OUT ?? "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // The Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
    sourcemap: false,
    // One bundle for now (the NL Design System CSS is most of it).
    chunkSizeWarningLimit: 1024,
  },
});
