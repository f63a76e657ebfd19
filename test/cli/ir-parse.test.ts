/** The text IR parser's diagnostics (library level: the CLI reads only model files). */
import { describe, expect, it } from "vitest";
import { MatpropError, parse } from "../../ir/index.js";

const GOOD = `graph "g" {
  %0 = input {name="X"} : f32[2,2]
  %1 = transpose %0 : f32[2,2]
  return Y=%1
}
`;

function parseError(text: string): MatpropError {
  try {
    parse(text, "bad.mpir");
  } catch (e) {
    if (e instanceof MatpropError) return e;
    throw e;
  }
  throw new Error("parse accepted the text");
}

describe("parse", () => {
  it("accepts a known op (the registry is loaded)", () => {
    expect(parse(GOOD).nodes.map((n) => n.op)).toEqual(["input", "transpose"]);
  });

  it("MP3002: an unknown op, at its line:col", () => {
    const e = parseError(GOOD.replace("= transpose", "= frobnicate"));
    expect(e.code).toBe("MP3002");
    expect(e.message).toContain("unknown op 'frobnicate'");
    expect(e.loc).toEqual({ file: "bad.mpir", line: 3, col: 8 });
    expect(e.format()).toMatch(/^bad\.mpir:3:8 error MP3002: /);
  });
});
