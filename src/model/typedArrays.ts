/** Growth for the typed-array columns whose final length is unknown until the end. */
type Column = Int32Array | Float64Array | Float32Array | Uint8Array;

/** A copy of `a` in a new array of `size` elements (by default twice as many), of the same type. */
export function grown<T extends Column>(a: T, size = a.length * 2): T {
  const b = new (a.constructor as new (length: number) => T)(size);
  b.set(a);
  return b;
}
