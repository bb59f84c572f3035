import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { uiNamesJson } from './names';

/**
 * The web UI's build (ui/build.ts runs it when the bundle is missing or stale). Pages are split by
 * route; ECharts and exceljs load with the pages that draw or export. The names of ids come from
 * domain/names as data (ui/names.ts → __TUOPIN_NAMES__, read by ui/src/names.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  define: { __TUOPIN_NAMES__: uiNamesJson() },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: { proxy: { '^/(?!src|@|node_modules|assets).+': 'http://127.0.0.1:8080' } },
});
