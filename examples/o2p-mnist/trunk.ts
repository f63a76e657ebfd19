/**
 * The conv trunk shared by both MNIST models: images x [B, 1, 28, 28] → conv 1→c1 3×3 stride 2
 * (14×14) → relu → conv c1→c2 3×3 stride 2 (7×7) → relu: c2 channels at 49 positions per image.
 */
import { nn, type ModelContext, type Tensor } from "matprop";

export const IMAGE = 28;
/** Channels of the two conv layers. */
export const C1 = 8;
export const C2 = 8;
export const CLASSES = 10;
/** 7×7 positions after two stride-2 convolutions. */
export const POSITIONS = 49;

export function convTrunk({ input, param }: Pick<ModelContext, "input" | "param">): { x: Tensor; h: Tensor } {
  const x = input("x", ["B", 1, IMAGE, IMAGE]);
  const w1 = param("w1", [C1, 1, 3, 3], { init: "he" });
  const b1 = param("b1", [C1], { init: "zeros" });
  const w2 = param("w2", [C2, C1, 3, 3], { init: "he" });
  const b2 = param("b2", [C2], { init: "zeros" });
  const h1 = nn.relu(nn.conv2d(x, w1, { stride: 2, padding: 1, bias: b1 }));
  const h2 = nn.relu(nn.conv2d(h1, w2, { stride: 2, padding: 1, bias: b2 }));
  return { x, h: h2 as Tensor };
}
