// Scripts, benches and spawned test processes are server code by definition: this lets them load
// modules marked `import "server-only"` without switching the whole process to React's server
// build (`--conditions=react-server`), under which `react-dom/server` — and so rendering mail —
// refuses to load. docs/decisions/013-boundaries-and-sandbox-mount.md
import { register } from "node:module";

register("./server-only-hooks.mjs", import.meta.url);
