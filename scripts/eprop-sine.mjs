// NEST's e-prop sine-wave regression example at full size (100 inputs, 100 recurrent eprop_iaf,
// 1 readout, 1000-step sequences, 200 iterations), run through the Simulator with a progress bar.
//   node scripts/eprop-sine.mjs [--iterations N] [--model eprop_iaf] [--json]
// Needs `npm run build` (imports dist/). Prints the loss curve, wall time and spike count;
// NEST 3.10 on this machine kind: 151–155 s, loss 107.737 (first) → 75.733 (last), 386,447 spikes.
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
import { pathToFileURL } from "node:url";
const dist = process.env.SPIKELAB_DIST ? pathToFileURL(process.env.SPIKELAB_DIST.replace(/\/?$/, "/")) : new URL("../dist/", import.meta.url);
const { runSineWaveTask } = await import(new URL("runtime/eprop/index.js", dist).href);

const nIter = Number(opt("iterations", "200"));
const model = opt("model", "eprop_iaf");
const t0 = performance.now();
const result = runSineWaveTask({ nIter, model, progress: process.stderr.isTTY ? true : "auto" });
const wall = (performance.now() - t0) / 1000;
const loss = result.loss;
const summary = {
  task: "eprop sine-wave regression (NEST example)",
  model,
  iterations: nIter,
  wallSeconds: Number(wall.toFixed(2)),
  simulateSeconds: Number(result.simulateSeconds.toFixed(2)),
  recurrentSpikes: result.recurrentSpikes,
  lossFirst: loss[0],
  lossLast: loss[loss.length - 1],
  lossMin: Math.min(...loss),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  nestReference: { wallSeconds: "151-155", lossFirst: 107.737, lossLast: 75.733, lossMin: 73.839, recurrentSpikes: 386447 },
};
if (args.includes("--json")) {
  console.log(JSON.stringify({ ...summary, loss }));
} else {
  const every = Math.max(1, Math.floor(nIter / 20));
  console.log("iteration  loss");
  loss.forEach((l, i) => {
    if (i % every === 0 || i === loss.length - 1) console.log(String(i + 1).padStart(9), l.toFixed(6));
  });
  console.log(JSON.stringify(summary, null, 1));
}
