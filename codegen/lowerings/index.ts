/** Registers every op's WebGPU lowering. */
import "./reduce.js";
import "./matmul.js";
import "./nn.js";
import "./linalg.js";
import "./linalg-functions.js";
