#!/usr/bin/env node
/**
 * The notebooks' main job: executes the example notebooks headlessly in the Spikelab kernel and writes,
 * under one folder (default out/notebooks/):
 *   NAME.ipynb   the executed notebook (open it in Jupyter),
 *   NAME.html    nbconvert's HTML rendering (plots as static SVG),
 *   index.html   every notebook's Vega-Lite charts, interactive, via vega-embed (works from file://),
 *   summary.json what ran, how long it took, and any errors.
 *
 * Usage: node scripts/run-notebooks.mjs [NAME ...] [--out DIR] [--no-html]
 * Needs `npm run build` (dist/) and Debian's Jupyter packages (scripts/setup.sh installs both).
 * Exits non-zero when a notebook fails (an error output outside cells tagged `raises-exception`).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const PYTHON = "/usr/bin/python3"; // Debian's Python has nbclient; pyenv's python3 on PATH does not.
const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

function parseArgs(argv) {
  const opts = { out: join(ROOT, "out", "notebooks"), html: true, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") opts.out = resolve(argv[++i]);
    else if (a === "--no-html") opts.html = false;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node scripts/run-notebooks.mjs [NAME ...] [--out DIR] [--no-html]");
      process.exit(0);
    } else opts.names.push(a);
  }
  return opts;
}

function fail(message) {
  console.error(`run-notebooks: ${message}`);
  process.exit(2);
}

/** Installs the kernelspec into a repo-local prefix and returns the JUPYTER_PATH entry that finds it. */
function installKernelspec() {
  const prefix = join(ROOT, ".jupyter-prefix");
  const cli = join(ROOT, "dist", "cli", "main.js");
  const r = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
  if (r.status !== 0) {
    fail(`could not install the kernelspec (${cli} kernel install --prefix ${prefix}):\n${r.stderr || r.stdout}`);
  }
  const dataDir = join(prefix, "share", "jupyter");
  if (!existsSync(join(dataDir, "kernels", "spikelab", "kernel.json"))) fail(`no kernelspec under ${dataDir}/kernels/spikelab`);
  return dataDir;
}

/** Newest modification time of the TypeScript sources the notebooks run (via dist/). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") || entry.name.endsWith(".spk")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ["language", "runtime", "kernel"]) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return newest;
}

/** Entries of an earlier run (summary.json) for notebooks not executed this time, so index.html keeps them. */
function earlierEntries(outDir, executedNow) {
  const file = join(outDir, "summary.json");
  if (!existsSync(file)) return [];
  try {
    const old = JSON.parse(readFileSync(file, "utf8"));
    return old
      .filter((e) => !executedNow.has(e.file) && existsSync(join(outDir, e.file)))
      .map((e) => {
        const nb = JSON.parse(readFileSync(join(outDir, e.file), "utf8"));
        return { ...e, title: notebookTitle(nb, e.name), specs: vegaLiteSpecs(nb) };
      });
  } catch {
    return [];
  }
}

function notebookTitle(nb, fallback) {
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== "markdown") continue;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const m = /^#\s+(.+)$/m.exec(text);
    if (m) return m[1].trim();
  }
  return fallback;
}

function vegaLiteSpecs(nb) {
  const specs = [];
  for (const cell of nb.cells ?? []) {
    for (const out of cell.outputs ?? []) {
      const spec = out.data?.[VEGA_LITE_MIME];
      if (spec && typeof spec === "object") specs.push(spec);
    }
  }
  return specs;
}

function escapeHtml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** index.html: every chart of every executed notebook, rendered by vega-embed from local copies. */
function writeIndex(outDir, entries) {
  const libDir = join(outDir, "lib");
  mkdirSync(libDir, { recursive: true });
  const libs = {
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
  };
  for (const [name, from] of Object.entries(libs)) copyFileSync(join(ROOT, from), join(libDir, name));

  const sections = entries.map((e, n) => {
    const status = e.ok ? `ran in ${e.seconds.toFixed(1)} s` : `<b style="color:#b00">FAILED</b>`;
    const links = [`<a href="${e.name}.ipynb">${e.name}.ipynb</a>`];
    if (e.html) links.push(`<a href="${e.name}.html">HTML rendering</a>`);
    const charts = e.specs.map((_, k) => `<div class="chart" id="nb${n}-chart${k}"></div>`).join("\n");
    return `<section><h2>${escapeHtml(e.title)}</h2><p>${links.join(" · ")} · ${status} · ${e.specs.length} chart(s)</p>\n${charts}</section>`;
  });
  const specs = {};
  entries.forEach((e, n) => e.specs.forEach((s, k) => (specs[`nb${n}-chart${k}`] = s)));
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Spikelab example notebooks</title>
<script src="lib/vega.min.js"></script><script src="lib/vega-lite.min.js"></script><script src="lib/vega-embed.min.js"></script>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 12px;color:#222}
section{border-top:1px solid #ddd;padding-top:8px;margin-top:24px}.chart{margin:12px 0}</style></head>
<body><h1>Spikelab example notebooks</h1>
<p>Executed ${new Date().toISOString()} by <code>node scripts/run-notebooks.mjs</code>. Charts below are the notebooks' own
Vega-Lite outputs, interactive (hover for values); each notebook's prose is in its HTML rendering.</p>
${sections.join("\n")}
<script>
const specs = ${JSON.stringify(specs).replace(/</g, "\\u003c")};
Promise.all(Object.entries(specs).map(([id, spec]) => vegaEmbed("#" + id, spec, { actions: { export: true, source: true, editor: false } })))
  .then(() => { document.title = "Spikelab example notebooks (" + Object.keys(specs).length + " charts)"; })
  .catch((e) => { document.body.insertAdjacentHTML("afterbegin", "<pre style='color:#b00'>" + e + "</pre>"); });
</script></body></html>
`;
  writeFileSync(join(outDir, "index.html"), html);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, "dist", "index.js"))) fail("dist/ is missing: run `npm run build` first (or `npm start`, which sets everything up)");
  if (newestSource() > statSync(join(ROOT, "dist", "index.js")).mtimeMs) {
    console.log("note: some sources are newer than dist/ — the notebooks run the built library; `npm run build` to include the changes");
  }
  const probe = spawnSync(PYTHON, ["-c", "import nbclient, nbformat, nbconvert"], { encoding: "utf8" });
  if (probe.status !== 0) fail(`${PYTHON} lacks nbclient/nbconvert: run scripts/setup.sh (apt-get install python3-nbclient jupyter-nbconvert)`);

  const notebookDir = join(ROOT, "notebooks");
  let files = readdirSync(notebookDir).filter((f) => f.endsWith(".ipynb")).sort();
  if (opts.names.length > 0) {
    files = files.filter((f) => opts.names.some((n) => f === n || f === `${n}.ipynb` || f.startsWith(n)));
    if (files.length === 0) fail(`no notebook matches ${opts.names.join(", ")}`);
  }
  mkdirSync(opts.out, { recursive: true });
  const jupyterPath = installKernelspec();
  const env = { ...process.env, JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(":") };

  const entries = [];
  for (const file of files) {
    const name = basename(file, ".ipynb");
    const src = join(notebookDir, file);
    const dst = join(opts.out, file);
    process.stdout.write(`executing ${file} ... `);
    const r = spawnSync(PYTHON, [join(ROOT, "scripts", "execute-notebook.py"), src, dst], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const line = (r.stdout || "").trim().split("\n").pop() ?? "";
    let result;
    try {
      result = JSON.parse(line);
    } catch {
      result = { seconds: 0, errors: [], failure: `executor crashed (exit ${r.status}):\n${r.stderr.slice(-4000)}` };
    }
    const ok = r.status === 0 && !result.failure && result.errors.length === 0;
    const restarts = result.kernel_start_retries ? `, kernel restarted ${result.kernel_start_retries}× after failing to start` : "";
    console.log(ok ? `ok (${result.seconds.toFixed(1)} s${restarts})` : "FAILED");
    if (!ok) {
      for (const e of result.errors) console.log(`  cell ${e.cell}: ${e.ename}: ${e.evalue}`);
      if (result.failure) console.log(result.failure.split("\n").map((l) => `  ${l}`).join("\n"));
      if (r.stderr.trim()) console.log(`  kernel/executor stderr (last lines):\n${r.stderr.trim().split("\n").slice(-15).map((l) => `    ${l}`).join("\n")}`);
    }
    let html = false;
    if (opts.html && existsSync(dst)) {
      const c = spawnSync(PYTHON, ["-m", "nbconvert", "--to", "html", "--log-level", "WARN", "--output-dir", opts.out, dst], { env, encoding: "utf8" });
      html = c.status === 0;
      if (!html) console.log(`  nbconvert --to html failed: ${c.stderr.slice(-1000)}`);
    }
    const nb = existsSync(dst) ? JSON.parse(readFileSync(dst, "utf8")) : { cells: [] };
    entries.push({ name, file, ok, html, seconds: result.seconds, errors: result.errors, failure: result.failure ?? null, kernelStartRetries: result.kernel_start_retries ?? 0, title: notebookTitle(nb, name), specs: vegaLiteSpecs(nb) });
  }

  // Notebooks executed by an earlier run and not this one stay listed (a partial run refreshes its own).
  const all = [...entries, ...earlierEntries(opts.out, new Set(entries.map((e) => e.file)))].sort((a, b) => a.file.localeCompare(b.file));
  if (opts.html) writeIndex(opts.out, all);
  writeFileSync(
    join(opts.out, "summary.json"),
    JSON.stringify(all.map(({ specs, ...e }) => ({ ...e, charts: specs.length })), null, 2) + "\n",
  );

  const rel = relative(process.cwd(), opts.out) || ".";
  const failed = entries.filter((e) => !e.ok);
  console.log();
  console.log(`${entries.length - failed.length} of ${entries.length} notebooks executed without errors; results in ${rel}/`);
  if (opts.html) console.log(`  open ${rel}/index.html for every chart (interactive), ${rel}/NAME.html for each notebook with its prose`);
  console.log(`  executed notebooks: ${rel}/*.ipynb; timings: ${rel}/summary.json`);
  console.log();
  console.log("To work with the notebooks in Jupyter with the Spikelab kernel:");
  console.log(`  JUPYTER_PATH=${relative(process.cwd(), jupyterPath)} jupyter notebook notebooks/`);
  console.log("  (or `npx spikelab kernel install --user` once, then any Jupyter front end; Debian: apt-get install jupyter-notebook)");
  process.exit(failed.length === 0 ? 0 : 1);
}

main();
