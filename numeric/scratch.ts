/**
 * Work arrays the kernels reuse from call to call instead of allocating (patch matrices of a
 * convolution are a few hundred KB per image batch; allocating them each step is most of the
 * garbage collector's work). One array per slot, grown as needed and kept; the contents are
 * whatever the last user left, so a caller must write every entry it reads. Never returned to
 * callers, and a kernel uses distinct slots for arrays it holds at the same time.
 */
const slots: Float64Array[] = [];

export function scratch(slot: number, size: number): Float64Array {
  let s = slots[slot];
  if (!s || s.length < size) slots[slot] = s = new Float64Array(Math.max(size, 2 * (s?.length ?? 0)));
  return s.subarray(0, size);
}
