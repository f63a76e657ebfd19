"""Reference values for matprop's float64 linalg kernels, computed with NumPy and SciPy.

Regenerate with `python3 scripts/reference/linalg.py` (Debian: apt-get install python3-numpy
python3-scipy); it rewrites test/fixtures/linalg/reference.json, which test/runtime/cpu/
linalg-reference.test.ts reads. Inputs are generated here (seeded) and stored next to the
outputs, so the test does not depend on NumPy's random streams. Floats are written with repr(),
which round-trips float64 exactly.

Conventions matprop fixes where NumPy leaves a choice:
- qr: R's diagonal is made non-negative (NumPy/LAPACK leave its signs to the data).
- polar: scipy.linalg.polar(a, side="right")[0]; for wide a that is the factor with orthonormal rows.
- powm: scipy.linalg.fractional_matrix_power (Schur–Padé, a different algorithm from matprop's
  eigendecomposition).
- Newton–Schulz: the iteration written out here in NumPy (iSQRT-COV's recurrence), plus
  scipy.linalg.sqrtm for the limit.
"""
import json
import os

import numpy as np
import scipy.linalg as sla

rng = np.random.default_rng(20240612)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "linalg", "reference.json")


def mat(a):
    a = np.asarray(a, dtype=np.float64)
    # JSON has no infinities: slogdet's −∞ is written as the string "-Infinity" (Number() reads it back).
    return {"shape": list(a.shape), "data": [float(v) if np.isfinite(v) else str(float(v)).replace("inf", "Infinity") for v in a.ravel()]}


def spd(n, cond):
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.geomspace(1.0, 1.0 / cond, n)
    return (q * lam) @ q.T


def positive_qr(a):
    q, r = np.linalg.qr(a)
    s = np.where(np.diagonal(r, axis1=-2, axis2=-1) < 0, -1.0, 1.0)
    return q * s[..., None, :], r * s[..., :, None]


def newton_schulz(x, iters):
    n = x.shape[-1]
    tr = np.trace(x)
    y, z, eye = x / tr, np.eye(n), np.eye(n)
    for k in range(iters):
        t = 0.5 * (3 * eye - z @ y)
        y, z = y @ t, t @ z
    return np.sqrt(tr) * 0.5 * (y + y.T)


cases = {"det": [], "qr": [], "polar": [], "pinv": [], "powm": [], "newtonSchulz": [], "norm": [], "eigvalsh": []}

# det / slogdet: random (both signs), batched, a permutation, an exactly singular matrix, 1×1.
for a in [
    rng.standard_normal((4, 4)),
    rng.standard_normal((3, 5, 5)),
    np.array([[0.0, 1, 0], [0, 0, 1], [1, 0, 0]]),  # a 3-cycle: det +1 with two swaps
    np.array([[0.0, 1], [1, 0]]),  # det −1
    np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]]),  # singular in exact arithmetic, not in floats
    np.array([[1.0, 2], [2, 4]]),  # exactly singular: a zero pivot
    np.array([[-2.5]]),
]:
    sign, logabs = np.linalg.slogdet(a)
    cases["det"].append({"a": mat(a), "det": mat(np.linalg.det(a)), "sign": mat(sign), "logabsdet": mat(logabs)})

for shape in [(5, 3), (4, 4), (3, 6), (2, 6, 2), (1, 1), (7, 1)]:
    a = rng.standard_normal(shape)
    q, r = positive_qr(a)
    cases["qr"].append({"a": mat(a), "q": mat(q), "r": mat(r)})

for shape in [(4, 4), (6, 3), (3, 5)]:
    a = rng.standard_normal(shape)
    cases["polar"].append({"a": mat(a), "q": mat(sla.polar(a, side="right")[0])})
# repeated singular values: A = U diag(2, 2, 1) Vᵀ
u, _ = np.linalg.qr(rng.standard_normal((3, 3)))
v, _ = np.linalg.qr(rng.standard_normal((3, 3)))
a = (u * [2.0, 2.0, 1.0]) @ v.T
cases["polar"].append({"a": mat(a), "q": mat(sla.polar(a)[0])})

for a in [rng.standard_normal((4, 4)), rng.standard_normal((6, 3)), rng.standard_normal((2, 5)), np.outer([1.0, 2, 3], [1.0, -1, 0.5, 2])]:
    cases["pinv"].append({"a": mat(a), "pinv": mat(np.linalg.pinv(a))})

for n, cond, p in [(4, 10.0, 0.5), (5, 1e3, 0.5), (4, 50.0, -0.5), (3, 20.0, 1.7), (5, 1e2, 0.25), (4, 8.0, -2.0)]:
    x = spd(n, cond)
    cases["powm"].append({"x": mat(x), "p": p, "y": mat(np.real(sla.fractional_matrix_power(x, p)))})

for n, cond, iters in [(4, 10.0, 5), (6, 100.0, 8), (5, 1e3, 12), (3, 2.0, 1), (3, 2.0, 2)]:
    x = spd(n, cond) * 3.7
    cases["newtonSchulz"].append({"x": mat(x), "iters": iters, "y": mat(newton_schulz(x, iters)), "sqrtm": mat(np.real(sla.sqrtm(x)))})

for a in [rng.standard_normal((4, 3)), rng.standard_normal((2, 3, 5)), np.diag([3.0, 3.0, 1.0])]:
    cases["norm"].append({"a": mat(a), "fro": mat(np.linalg.norm(a, "fro", axis=(-2, -1))), "nuc": mat(np.linalg.norm(a, "nuc", axis=(-2, -1))), "2": mat(np.linalg.norm(a, 2, axis=(-2, -1)))})
v = rng.standard_normal((3, 4))
cases["norm"].append({"vector": mat(v), "2": mat(np.linalg.norm(v, axis=-1))})

for x in [spd(5, 10.0), np.array([[2.0, 1, 0], [1, 2, 0], [0, 0, 3]])]:
    cases["eigvalsh"].append({"x": mat(x), "w": mat(np.linalg.eigvalsh(x))})

meta = {"generator": "scripts/reference/linalg.py", "numpy": np.__version__, "scipy": __import__("scipy").__version__}
with open(OUT, "w") as f:
    json.dump({"meta": meta, **cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)}")
