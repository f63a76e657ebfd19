/**
 * The default size limit, in a module of its own that imports nothing: the CLI's `--help` prints it
 * and must not load the op registry that ir/limits.ts needs to name a tensor (test/cli/startup.test.ts).
 */

/** Default largest element count of one tensor: 2²⁸ (2 GiB in float64, 1 GiB in f32). */
export const DEFAULT_MAX_ELEMENTS = 2 ** 28;
