/**
 * Reader for the `go tool pprof -top` oracle files in fixtures/<set>/pprof-top (used by tests and
 * benchmarks to check our numbers against Go's).
 */
export interface OracleRow {
  flat: number;
  cum: number;
  name: string;
}

export interface Oracle {
  total: number;
  rows: OracleRow[];
}

/** A value as pprof prints it with a base -unit: `2340000000ns`, `624B`, `52691`. */
function parseValue(text: string): number {
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([A-Za-z]*)$/.exec(text);
  if (!m) {
    throw new Error(`unexpected value ${JSON.stringify(text)} in a pprof -top oracle`);
  }
  return Number(m[1]);
}

export function parsePprofTop(text: string): Oracle {
  const lines = text.split('\n');
  let total = NaN;
  const rows: OracleRow[] = [];
  let inRows = false;
  for (const line of lines) {
    const shown = /^Showing nodes accounting for \S+, [\d.]+% of (\S+) total/.exec(line);
    if (shown) {
      total = parseValue(shown[1]);
      continue;
    }
    if (/^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(line)) {
      inRows = true;
      continue;
    }
    if (!inRows || line.trim() === '') {
      continue;
    }
    // flat flat% sum% cum cum%  name (the name follows two spaces and may itself contain spaces)
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%  (.*)$/.exec(line);
    if (!m) {
      throw new Error(`unexpected row in a pprof -top oracle: ${JSON.stringify(line)}`);
    }
    rows.push({ flat: parseValue(m[1]), cum: parseValue(m[2]), name: m[3] });
  }
  if (Number.isNaN(total)) {
    throw new Error('no "Showing nodes accounting for" line in the pprof -top oracle');
  }
  return { total, rows };
}
