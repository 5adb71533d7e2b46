import type { BuildOptions } from 'vite';

/** The build both renderer entries share (vite.config.ts: the laptop's; vite.console.config.ts: head office's console). */
export const rendererBuild = (outDir: string): BuildOptions => ({
  outDir,
  emptyOutDir: true,
  chunkSizeWarningLimit: 4000,
  sourcemap: false,
  rollupOptions: {
    // A dependency's comment placement (zod's @__PURE__ notes) is no problem of ours and, printed on
    // the first npm start, reads like a failure; every other warning still shows.
    onwarn(warning, warn) {
      if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
      warn(warning);
    },
  },
});
