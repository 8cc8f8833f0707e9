import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built app is served by the web server (server/), which sets a strict Content-Security-Policy:
// no inline script or style, so Vite must not inline its module preload polyfill.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', modulePreload: { polyfill: false }, assetsInlineLimit: 0, sourcemap: false, chunkSizeWarningLimit: 1000 },
});
