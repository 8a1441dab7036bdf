// Builds the embeddable button (web/embed/emergency-button.ts) into web/dist/embed.js: one ES
// module with no imports, served by the service at /embed.js for other sites to load.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL("../dist", import.meta.url)),
    emptyOutDir: false,
    lib: {
      entry: fileURLToPath(new URL("./emergency-button.ts", import.meta.url)),
      formats: ["es"],
      fileName: () => "embed.js",
    },
  },
});
