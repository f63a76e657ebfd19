/** Importing this module registers every op (each family file defines its ops once). */
import "./source.js";
import "./elementwise.js";
import "./reduce.js";
import "./movement.js";
import "./indexing.js";
import "./linalg.js";
import "./spectral.js";
import "./projector.js";
import "./nn.js";
import "./backward.js";
import "./spectral-fn.js";
import "./linalg-reductions.js";
import "./factorizations.js";
import "./matrix-power.js";
