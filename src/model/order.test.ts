import { orderByKey, sortByName } from './order';

// Real names are covered too: pprof.test.ts checks every fixture's top table, row order included,
// against `go tool pprof -top` (pprof-large.cpu: 23k rows, 22.8k of them ordered by name alone).

/** What sortByName must give: `<` on the names, ties by id. */
function byComparator(ids: number[], names: readonly string[]): number[] {
  return [...ids].sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b));
}

function sorted(names: readonly string[]): number[] {
  const ids = Int32Array.from(names.keys());
  sortByName(ids, names);
  return Array.from(ids);
}

/** Seeded, so a failure repeats. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe('sortByName', () => {
  it('handles shared prefixes, prefixes of each other, empty names, duplicates and non-ASCII', () => {
    const next = random(7);
    const alphabet = ['a', 'b', '.', '/', '', 'é', '😀', '\u0000', 'Z'];
    const names: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let s = next() < 0.5 ? 'github.com/acme/checkout/' : '';
      const len = Math.floor(next() * 6);
      for (let k = 0; k < len; k++) {
        s += alphabet[Math.floor(next() * alphabet.length)];
      }
      names.push(s);
    }
    expect(sorted(names)).toEqual(byComparator(Array.from(names.keys()), names));
  });

  it('sorts part of the ids, and names far longer than the stack would allow recursion', () => {
    const long = 'x'.repeat(200000);
    const names = [long + 'b', long + 'a', long, 'y', long + 'a'];
    const ids = Int32Array.of(4, 0, 1, 2);
    sortByName(ids, names);
    expect(Array.from(ids)).toEqual([2, 1, 4, 0]);
  });
});

describe('orderByKey', () => {
  it('is a stable ascending sort', () => {
    const next = random(3);
    const keys = Float64Array.from({ length: 5000 }, () => Math.floor(next() * 20) - 10);
    const expected = Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b] || a - b);
    expect(Array.from(orderByKey(keys))).toEqual(expected);
  });

  it('puts -0 with 0, infinities at the ends and NaN with +Infinity', () => {
    const keys = Float64Array.of(0, Infinity, -0, NaN, -Infinity, 1.5, -0);
    expect(Array.from(orderByKey(keys))).toEqual([4, 0, 2, 6, 5, 1, 3]);
  });

  it('orders nothing and one key', () => {
    expect(Array.from(orderByKey(new Float64Array(0)))).toEqual([]);
    expect(Array.from(orderByKey(Float64Array.of(3)))).toEqual([0]);
  });
});
