// Copies the pinned npm packages and our own sources into the folder the Go
// binary embeds. No bundler: the browser gets a handful of small files, and
// nothing is fetched from anywhere at run time.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "internal", "web", "assets", "dist");

mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) {
  if (f !== ".gitkeep") rmSync(join(out, f), { recursive: true });
}
const files = [
  [join(here, "node_modules", "htmx.org", "dist", "htmx.min.js"), "htmx.min.js"],
  [join(here, "src", "app.js"), "app.js"],
  [join(here, "src", "import.js"), "import.js"],
  [join(here, "src", "app.css"), "app.css"],
  [join(here, "src", "board.js"), "board.js"],
  [join(here, "src", "board.css"), "board.css"],

  [join(here, "src", "activities.js"), "activities.js"],
  [join(here, "src", "activities.css"), "activities.css"],
  [join(here, "src", "favicon.svg"), "favicon.svg"],
];
for (const [from, to] of files) copyFileSync(from, join(out, to));
console.log(`assets: ${files.length} files -> ${out}`);
