/**
 * Renders Vega-Lite specs in headless Chromium: a tiny static server on 127.0.0.1 serves a page plus the
 * UMD builds of vega, vega-lite and vega-embed from node_modules; Chromium loads it, the page embeds every
 * spec with vega-embed and records console errors and uncaught exceptions into the DOM, which the test
 * reads back with `--dump-dom`.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

const ROOT = new URL("../../", import.meta.url).pathname;
const LIBRARIES: Record<string, string> = {
  "/lib/vega.js": "node_modules/vega/build/vega.min.js",
  "/lib/vega-lite.js": "node_modules/vega-lite/build/vega-lite.min.js",
  "/lib/vega-embed.js": "node_modules/vega-embed/build/vega-embed.min.js",
};

/** The page: capture errors first, then load the libraries, then embed each spec in its own div. */
export function renderPage(specs: readonly unknown[], title = "Spikelab charts"): string {
  const json = JSON.stringify(specs).replace(/</g, "\\u003c");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script>
  window.__errors = [];
  const record = (kind, args) => {
    window.__errors.push(kind + ": " + Array.from(args).map(String).join(" "));
    const pre = document.getElementById("errors");
    if (pre) pre.textContent = window.__errors.join("\\n");
  };
  const originalError = console.error;
  console.error = function () { record("console.error", arguments); originalError.apply(console, arguments); };
  window.addEventListener("error", (e) => record("uncaught", [e.message]));
  window.addEventListener("unhandledrejection", (e) => record("unhandledrejection", [e.reason]));
</script>
<script src="/lib/vega.js"></script>
<script src="/lib/vega-lite.js"></script>
<script src="/lib/vega-embed.js"></script>
<style>body{font-family:sans-serif;margin:12px;background:#fff} .chart{margin:0 0 18px 0}</style>
</head><body>
<pre id="errors"></pre>
<div id="charts"></div>
<script>
  const specs = ${json};
  const container = document.getElementById("charts");
  const only = new URLSearchParams(location.search).get("only");
  const jobs = specs.map((spec, i) => {
    if (only !== null && String(i) !== only) return Promise.resolve();
    const div = document.createElement("div");
    div.className = "chart";
    div.id = "chart-" + i;
    container.appendChild(div);
    return vegaEmbed(div, spec, { actions: false, renderer: "svg" });
  });
  Promise.all(jobs).then(
    () => {
      document.getElementById("errors").textContent = window.__errors.join("\\n");
      document.title = window.__errors.length === 0 ? "rendered " + jobs.length : "errors";
    },
    (e) => { record("embed", [e && e.message ? e.message : e]); document.title = "failed"; },
  );
</script>
</body></html>`;
}

/** Serves `page` at `/` and the vega UMD builds under `/lib/`; nothing else from the disk. */
export async function startServer(page: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
      return;
    }
    const file = LIBRARIES[path];
    if (file) {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(readFileSync(join(ROOT, file)));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Runs headless Chromium on `url` with extra flags (`--dump-dom` or `--screenshot=…`); resolves stdout. */
export function runChromium(url: string, flags: readonly string[], budgetMs = 15_000): Promise<string> {
  if (!CHROMIUM) throw new Error("chromium is not installed");
  const profile = mkdtempSync(join(tmpdir(), "spikelab-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
    `--virtual-time-budget=${budgetMs}`,
    ...flags,
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 90_000, maxBuffer: 256 * 1024 * 1024, cwd: profile }, (error, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** What the dumped DOM says about the page. */
export function inspectDom(dom: string): { title: string; svgCount: number; errors: string } {
  const title = /<title>([^<]*)<\/title>/.exec(dom)?.[1] ?? "";
  const svgCount = (dom.match(/<svg[^>]*class="marks"/g) ?? []).length;
  const errors = /<pre id="errors">([\s\S]*?)<\/pre>/.exec(dom)?.[1] ?? "(no error element)";
  return { title, svgCount, errors: errors.trim() };
}
