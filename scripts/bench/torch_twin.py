"""PyTorch twin of scripts/bench/o2p-models.mjs, driven over stdin/stdout by
scripts/bench-cpu-vs-torch.mjs: one JSON request per line, one JSON reply per line.

  {"cmd": "setup", "id": .., "kind": "layer"|"net", "B": .., "C": .., "arrays": {name: {"shape", "data"}}}
      -> {"loss": float, "grads": {name: [flat values]}}  (float64, the gradient of every input that requires one)
  {"cmd": "time", "id": .., "steps": k} -> {"seconds": wall time, "cpu": process CPU time, of k forward+backward steps}
"""
import json
import os
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

EPS = 1e-3
POSITIONS = 49


def logm_spd(c):
    w, u = torch.linalg.eigh(c)
    return (u * torch.log(w).unsqueeze(-2)) @ u.transpose(-1, -2)


def head(F, W, b, y, C):
    B = F.shape[0]
    eye = torch.eye(C)
    cov = F.transpose(-1, -2) @ F / POSITIONS + EPS * eye
    feats = logm_spd(cov).reshape(B, C * C)
    logits = torch.nn.functional.linear(feats, W, b)
    return torch.nn.functional.cross_entropy(logits, y)


def make_step(kind, C, t):
    y = t["y"].long()
    if kind == "layer":
        names = ["F", "W", "b"]

        def loss():
            return head(t["F"], t["W"], t["b"], y, C)
    else:
        names = ["w1", "b1", "w2", "b2", "W", "b"]
        conv = torch.nn.functional.conv2d
        relu = torch.relu

        def loss():
            h1 = relu(conv(t["x"], t["w1"], t["b1"], stride=2, padding=1))
            h2 = relu(conv(h1, t["w2"], t["b2"], stride=2, padding=1))
            F = h2.reshape(h2.shape[0], C, POSITIONS).transpose(-1, -2)
            return head(F, t["W"], t["b"], y, C)

    leaves = [t[n] for n in names]
    for v in leaves:
        v.requires_grad_(True)

    def step():
        value = loss()
        grads = torch.autograd.grad(value, leaves)
        return value, dict(zip(names, grads))

    return step


def linked_blas():
    """The BLAS/LAPACK shared objects this process mapped (Debian picks them through alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line or "lapack" in line}
        return sorted(os.path.realpath(p) for p in paths if p.startswith("/"))
    except OSError:
        return []


def main():
    steps = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req["cmd"] == "setup":
            t = {k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]) for k, v in req["arrays"].items()}
            step = steps[req["id"]] = make_step(req["kind"], req["C"], t)
            value, grads = step()
            bad = [k for k, g in grads.items() if not torch.isfinite(g).all()]
            if bad:
                sys.stdout.write(json.dumps({"error": f"PyTorch's gradients of {bad} are not finite"}) + "\n")
                sys.stdout.flush()
                continue
            reply = {"loss": value.item(), "grads": {k: g.reshape(-1).tolist() for k, g in grads.items()}, "torch": torch.__version__, "blas": linked_blas()}
        elif req["cmd"] == "time":
            step = steps[req["id"]]
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(req["steps"]):
                step()
            reply = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
        else:
            reply = {"error": f"unknown command {req['cmd']}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
