/**
 * In-session input history for `history_request` (tail, range, search), as IPython answers it:
 * entries are `[session, line, input]`, or `[session, line, [input, output]]` when output is asked for.
 * Only this kernel's session is kept (session number 1); nothing is written to disk.
 */
export interface HistoryEntry {
  readonly line: number;
  readonly input: string;
  output: string | null;
}

export type HistoryRow = [number, number, string | [string, string | null]];

export interface HistoryQuery {
  readonly hist_access_type?: string;
  readonly output?: boolean;
  readonly session?: number;
  readonly start?: number;
  readonly stop?: number | null;
  readonly n?: number | null;
  readonly pattern?: string;
  readonly unique?: boolean;
}

const SESSION = 1;

export class History {
  private readonly entries: HistoryEntry[] = [];

  add(line: number, input: string): HistoryEntry {
    const entry: HistoryEntry = { line, input, output: null };
    this.entries.push(entry);
    return entry;
  }

  query(q: HistoryQuery): HistoryRow[] {
    const rows = this.select(q);
    return rows.map((e) => [SESSION, e.line, q.output ? [e.input, e.output] : e.input]);
  }

  private select(q: HistoryQuery): HistoryEntry[] {
    switch (q.hist_access_type) {
      case "range": {
        // IPython: negative or other sessions refer to earlier sessions, which we do not keep.
        if (q.session !== undefined && q.session !== SESSION && q.session !== 0) return [];
        const start = q.start ?? 0;
        const stop = q.stop ?? Number.POSITIVE_INFINITY;
        return this.entries.filter((e) => e.line >= start && e.line < stop);
      }
      case "search": {
        const pattern = globToRegExp(q.pattern ?? "*");
        let found = this.entries.filter((e) => pattern.test(e.input));
        if (q.unique) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && (seen.add(e.input), true)).reverse();
        }
        return q.n ? found.slice(-q.n) : found;
      }
      case "tail":
      default:
        return q.n ? this.entries.slice(-q.n) : this.entries.slice();
    }
  }
}

/** IPython's history search uses shell-style globs (`*`, `?`) over the whole input. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${body}$`);
}
