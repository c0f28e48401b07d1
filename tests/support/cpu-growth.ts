/**
 * Work linear in its input grows about 8 times on an input 8 times larger; quadratic work grows
 * 64 times. This leaves room for measurement noise and still tells one from the other.
 */
export const EIGHTFOLD_GROWTH_LIMIT = 30;

/** CPU time of one run in microseconds: unlike the wall clock, it leaves out the time other processes had the cores. */
function cpuMicros(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * How many times more CPU time `large` takes than `small`, two runs of the same work on inputs of
 * different sizes, measured in the same process. Each is the least over several interleaved runs,
 * so a garbage collection or a busy neighbour inflates neither. Work that is linear in its input
 * grows by the size factor, quadratic work by its square: the ratio says which, on any machine.
 */
export function cpuGrowth(small: () => unknown, large: () => unknown, runs = 5): number {
  // The first runs compile the code under test; that cost belongs to neither size.
  small();
  large();
  let smallest = Infinity;
  let largest = Infinity;
  for (let i = 0; i < runs; i++) {
    smallest = Math.min(smallest, cpuMicros(small));
    largest = Math.min(largest, cpuMicros(large));
  }
  return largest / Math.max(smallest, 1);
}
