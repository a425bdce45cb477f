/**
 * Progress for long `simulate` calls: an in-place bar in a notebook (through the kernel host) or
 * on a terminal (stderr, TTY only). Nothing is drawn for runs shorter than half a second, and at
 * most 10 updates per second, so the check per slice is one clock read every few slices.
 */
import { getKernelHost } from "../kernel/host.js";
import { NotebookProgress } from "../kernel/plot/progress.js";

export type ProgressSetting = boolean | "auto";

export class SimulationProgress {
  /** Runs shorter than this (ms of wall time) show no bar. */
  static showAfterMs = 500;
  private bar: NotebookProgress | null = null;
  private readonly startedAt = Date.now();
  private slices = 0;
  private readonly enabled: boolean;

  constructor(
    setting: ProgressSetting,
    private readonly totalMs: number,
    private readonly startMs: number,
  ) {
    const visible = getKernelHost() !== undefined || process.stderr.isTTY === true;
    this.enabled = setting === true || (setting === "auto" && visible);
  }

  /** Called between slices with the steps done so far. */
  update(doneSteps: number, totalSteps: number): void {
    if (!this.enabled) return;
    if ((++this.slices & 15) !== 0 && doneSteps < totalSteps) return;
    const now = Date.now();
    if (this.bar === null) {
      if (now - this.startedAt < SimulationProgress.showAfterMs || doneSteps >= totalSteps) return;
      this.bar = new NotebookProgress({ total: this.totalMs, label: "simulate", unit: "ms", minIntervalMs: 100 });
    }
    const doneMs = (this.totalMs * doneSteps) / totalSteps;
    this.bar.update(doneMs, `t = ${(this.startMs + doneMs).toFixed(1)} ms`);
  }

  finish(): void {
    this.bar?.finish();
  }
}
