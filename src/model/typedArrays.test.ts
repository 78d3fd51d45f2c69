import { grown } from './typedArrays';

describe('grown', () => {
  it('keeps the type and the values, and doubles by default', () => {
    const a = Float32Array.of(1.5, 2.5);
    const b = grown(a);
    expect(b).toBeInstanceOf(Float32Array);
    expect(Array.from(b)).toEqual([1.5, 2.5, 0, 0]);
    expect(b.buffer).not.toBe(a.buffer);
  });

  it('grows to a given size, also from a view', () => {
    const a = Int32Array.of(7, 8, 9);
    expect(Array.from(grown(a.subarray(0, 2), 5))).toEqual([7, 8, 0, 0, 0]);
  });
});
