/**
 * The fusion and memory-planning promises, checked on the lowering itself (no device needed): the
 * second-order-pooling training step needs at most half the dispatches of the unfused lowering,
 * and the planned buffers take fewer bytes than one buffer per value.
 */
import { describe, expect, it } from "vitest";
import "../../index.js";
import { statsOf } from "../../compiler/cli/commands/stats.js";
import { differentiate } from "../../compiler/passes/differentiate.js";
import { o2p, o2pBatched } from "../models/adjoint/o2p.js";
import { ncuts } from "../models/adjoint/ncuts.js";

describe("lowering statistics", () => {
  for (const m of [o2p, o2pBatched, ncuts]) {
    it(`${m.name}: training step`, () => {
      const s = statsOf("training step", differentiate(m.build()).graph, new Map());
      expect(s.dispatches * 2).toBeLessThanOrEqual(s.unfusedDispatches);
      expect(s.plannedBytes).toBeLessThan(s.naiveBytes);
    });
  }
});
