import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import zaloMiniApp from 'zmp-vite-plugin';

// No `root: "./src"`: with index.html at the package root that breaks `vite build` (see shared research).
// The zmp plugin sets base "./", outDir "www" and target es2015, and writes www/app-config.json for Zalo.
export default defineConfig({
  plugins: [zaloMiniApp(), react()],
  build: { reportCompressedSize: false, chunkSizeWarningLimit: 400 },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/media': 'http://localhost:3000',
      '/ws': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
