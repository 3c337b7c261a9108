#!/usr/bin/env python3
"""Generalisation check of PulseBMS's cell models against PyBaMM 26.10 on cases that are NOT fixtures.

Two modes:

  generate  (needs PyBaMM 26.10.1.1, e.g. a venv's python)
      python docs/validation/generalisation.py generate [--out /tmp/gen-cases] [--only ID[,ID...]]
             [--rtol 1e-6 --atol 1e-8]
      Solves every case below with PyBaMM (IDAKLU, default mesh: 20 FV in x_n, x_s, x_p, r_n, r_p) and writes
      OUT/ID.csv + OUT/ID.json in exactly the format of ../shared/reference/pybamm/cases (see the README there
      and docs/electrochemistry-spec.md §0.1). By default the solver is TIGHTER than the fixtures
      (rtol 1e-6, atol 1e-8 instead of PyBaMM's 1e-4 / 1e-6) so that the reference's own solver error stays
      well below 0.01 mV; pass --rtol 1e-4 --atol 1e-6 to reproduce the fixtures' setting. The JSON records
      the steps, options, initial_soc, ambient, the initial stoichiometries, the solver and `cli_args`.

  check     (numpy only; needs the `pulse` CLI)
      python3 docs/validation/generalisation.py check [--cases /tmp/gen-cases] [--out /tmp/gen-out]
             [--pulse .build/release/pulse] [--only ID[,ID...]] [--models spm,spme] [--timeout 900]
      For each case runs `pulse simulate <cli_args> --output OUT/ID.csv` and compares with the reference by
      interpolating ours onto the reference times, step by step (rows need not coincide after events).
      Prints V RMSE / max [mV], I max error [A], T max error [K], end-time difference [s] and our wall time.
      A case whose CLI call fails is reported as "not run: <error>" and the check goes on.

  selftest  (needs PyBaMM) regenerate the fixtures chen2020_spme_power / chen2020_dfn_cccv /
      chen2020_dfn_lumped_2C / chen2020_spme_dynamic with the fixtures' tolerances and compare row by row,
      to show that `generate` writes the same rows as the fixtures.

Not part of the build; a reference for docs/electrochemistry-spec.md.
"""
import argparse
import json
import os
import subprocess
import sys
import time

COLUMNS = ["t [s]", "I [A]", "V [V]", "T [K]", "sto_n_surf", "sto_p_surf", "sto_n_avg", "sto_p_avg",
           "discharge capacity [A.h]"]
PYBAMM_VARS = ["Time [s]", "Current [A]", "Voltage [V]", "Volume-averaged cell temperature [K]",
               "X-averaged negative particle surface stoichiometry",
               "X-averaged positive particle surface stoichiometry",
               "Average negative particle stoichiometry", "Average positive particle stoichiometry",
               "Discharge capacity [A.h]"]

PERIOD_S = 10.0


def _drive_steps(n=30, seed=20261129, amax=10.0, duration="20 seconds"):
    """n random current steps in [-amax, amax] A (3 decimals), as PyBaMM strings. Deterministic."""
    import random
    rng = random.Random(seed)
    steps = []
    for _ in range(n):
        a = round(rng.uniform(-amax, amax), 3)
        if a == 0.0:
            a = 0.001
        verb = "Discharge" if a > 0 else "Charge"
        steps.append(f"{verb} at {abs(a):.3f} A for {duration}")
    return steps


def case_list():
    """Every case: id, model, params, steps, options, initial_soc, ambient. None of them is a fixture."""
    C = []

    def add(cid, model, params, steps, options=None, initial_soc=None, ambient=None, note=None):
        c = {"id": cid, "model": model, "params": params, "steps": list(steps)}
        if options:
            c["options"] = options
        if initial_soc is not None:
            c["initial_soc"] = initial_soc
        if ambient is not None:
            c["ambient"] = ambient
        if note:
            c["note"] = note
        C.append(c)

    # Chen2020 constant-current discharges (chen2020_dfn_2C is a fixture, so the DFN gets 3C instead).
    for model in ("SPM", "SPMe"):
        add(f"chen2020_{model.lower()}_0.5C", model, "Chen2020", ["Discharge at 0.5C until 2.5 V"])
        add(f"chen2020_{model.lower()}_2C", model, "Chen2020", ["Discharge at 2C until 2.5 V"])
    add("chen2020_dfn_0.5C", "DFN", "Chen2020", ["Discharge at 0.5C until 2.5 V"])
    add("chen2020_dfn_3C", "DFN", "Chen2020", ["Discharge at 3C until 2.5 V"],
        note="3C instead of 2C: chen2020_dfn_2C is a fixture")
    # Other parameter sets at 1C, to each set's own lower cut-off.
    cut = {"Marquis2019": 3.105, "Ecker2015": 2.5, "OKane2022": 2.5, "Prada2013": 2.0}
    for params, v in cut.items():
        for model in ("SPMe", "DFN"):
            steps = [f"Discharge at 1C until {v:g} V"]
            note = None
            if params == "Prada2013" and model == "SPMe":
                steps = [f"Discharge at 1C until {v:g} V", "Rest for 10 minutes", f"Charge at 0.5C until 3.6 V"]
                note = "discharge + rest + charge: prada2013_spme_1C (the plain 1C discharge) is a fixture"
            add(f"{params.lower()}_{model.lower()}_1C", model, params, steps, note=note)
    # Lumped thermal.
    add("chen2020_spme_lumped_2C", "SPMe", "Chen2020", ["Discharge at 2C until 2.5 V", "Rest for 20 minutes"],
        options={"thermal": "lumped"})
    for dT in (10, 40):
        add(f"chen2020_dfn_lumped_1C_amb{273 + dT}", "DFN", "Chen2020",
            ["Discharge at 1C until 2.5 V", "Rest for 10 minutes"],
            options={"thermal": "lumped"}, ambient=273.15 + dT)
    # A hard case for the lumped heat: 5C at -10 °C, where the electrolyte depletes and the heat doubles in seconds.
    for model in ("SPMe", "DFN"):
        add(f"chen2020_{model.lower()}_lumped_5C_amb263", model, "Chen2020",
            ["Discharge at 5C until 2.5 V", "Rest for 10 minutes"], options={"thermal": "lumped"}, ambient=263.15)
    # CCCV charge.
    add("chen2020_spme_cccv", "SPMe", "Chen2020",
        ["Charge at 0.7C until 4.2 V", "Hold at 4.2 V until C/50", "Rest for 20 minutes"], initial_soc=0.1)
    # Power.
    for model in ("SPM", "DFN"):
        add(f"chen2020_{model.lower()}_power", model, "Chen2020", ["Discharge at 10 W until 3.0 V"])
    # Resistance.
    for model in ("SPMe", "DFN"):
        add(f"chen2020_{model.lower()}_resistance", model, "Chen2020",
            ["Discharge at 1 Ohm for 10 minutes", "Rest for 5 minutes"])
    # Drive: 30 random 20 s current steps.
    add("chen2020_spme_drive30", "SPMe", "Chen2020", _drive_steps(), initial_soc=0.6)
    for c in C:
        c["cli_args"] = cli_args(c)
    return C


def cli_args(c):
    a = ["--model", c["model"].lower(), "--parameters", c["params"]]
    if c.get("options", {}).get("thermal") == "lumped":
        a += ["--thermal", "lumped"]
    if "ambient" in c:
        a += ["--ambient", repr(c["ambient"])]
    if "initial_soc" in c:
        a += ["--initial-soc", repr(c["initial_soc"])]
    for s in c["steps"]:
        a += ["--experiment", s]
    a += ["--period", f"{PERIOD_S:g}"]
    return a


# ---------------------------------------------------------------------------------------------- generate

def solve_case(c, rtol, atol):
    import pybamm
    model_cls = {"SPM": pybamm.lithium_ion.SPM, "SPMe": pybamm.lithium_ion.SPMe, "DFN": pybamm.lithium_ion.DFN}
    options = dict(c.get("options", {}))
    model = model_cls[c["model"]](options) if options else model_cls[c["model"]]()
    pv = pybamm.ParameterValues(c["params"])
    if "ambient" in c:
        pv.update({"Ambient temperature [K]": c["ambient"], "Initial temperature [K]": c["ambient"]})
    exp = pybamm.Experiment(c["steps"], period=f"{PERIOD_S:g} seconds")
    solver = pybamm.IDAKLUSolver(rtol=rtol, atol=atol)
    kw = {"initial_soc": c["initial_soc"]} if "initial_soc" in c else {}

    def run():
        sim = pybamm.Simulation(model, parameter_values=pv.copy(), experiment=exp, solver=solver)
        t0 = time.perf_counter()
        sol = sim.solve(**kw)
        return sol, time.perf_counter() - t0

    sol, cold = run()
    sol, warm = run()  # warm: the model is already built and compiled
    data = [sol[v].entries for v in PYBAMM_VARS]
    return data, warm, sol


def write_case(outdir, c, data, warm, rtol, atol):
    import numpy as np
    os.makedirs(outdir, exist_ok=True)
    arr = np.column_stack([np.asarray(d, dtype=float).ravel() for d in data])
    with open(os.path.join(outdir, c["id"] + ".csv"), "w") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row in arr:
            f.write(",".join("%.10g" % x for x in row) + "\n")
    meta = {"id": c["id"], "split": "generalisation", "model": c["model"], "params": c["params"]}
    for k in ("options", "initial_soc", "ambient"):
        if k in c:
            meta[k] = c[k]
    meta["steps"] = c["steps"]
    meta["pybamm_version"] = __import__("pybamm").__version__
    meta["solver"] = (f"IDAKLU (rtol {rtol:g}, atol {atol:g})"
                      + (" = PyBaMM defaults, as the fixtures" if (rtol, atol) == (1e-4, 1e-6)
                         else "; tighter than the fixtures' PyBaMM defaults (rtol 1e-4, atol 1e-6)"))
    meta["discretisation"] = "PyBaMM defaults: 20 finite volumes in each of x_n, x_s, x_p, r_n, r_p"
    meta["period_s"] = PERIOD_S
    if "ambient" in c:
        meta["ambient_note"] = "both 'Ambient temperature [K]' and 'Initial temperature [K]' set to this value"
    meta["initial_sto_n"] = float(arr[0, 6])
    meta["initial_sto_p"] = float(arr[0, 7])
    meta["pybamm_solve_seconds"] = warm
    meta["rows"] = int(arr.shape[0])
    meta["t_end"] = float(arr[-1, 0])
    if "note" in c:
        meta["note"] = c["note"]
    meta["cli_args"] = c["cli_args"]
    meta["cli"] = "pulse simulate " + " ".join(_sh(x) for x in c["cli_args"]) + f" --output OUT/{c['id']}.csv"
    with open(os.path.join(outdir, c["id"] + ".json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


def _sh(x):
    return x if all(ch.isalnum() or ch in "-_./,=" for ch in x) else "'" + x.replace("'", "'\\''") + "'"


def cmd_generate(args):
    cases = _select(case_list(), args.only, None)
    failed = []
    for c in cases:
        t0 = time.perf_counter()
        try:
            data, warm, _ = solve_case(c, args.rtol, args.atol)
            meta = write_case(args.out, c, data, warm, args.rtol, args.atol)
            print(f"{c['id']:34s} ok   rows {meta['rows']:5d}  t_end {meta['t_end']:10.3f} s  "
                  f"PyBaMM warm {warm:7.3f} s  (total {time.perf_counter() - t0:6.1f} s)", flush=True)
        except Exception as e:  # report and go on
            msg = f"{type(e).__name__}: {e}".replace("\n", " ")[:300]
            failed.append((c["id"], msg))
            print(f"{c['id']:34s} FAILED: {msg}", flush=True)
    if failed:
        print("\nPyBaMM failed on (dropped):")
        for cid, msg in failed:
            print(f"  {cid}: {msg}")
    return 1 if failed else 0


def cmd_selftest(args):
    import numpy as np
    ref = args.reference
    bad = 0
    for cid in ("chen2020_spme_power", "chen2020_dfn_cccv", "chen2020_dfn_lumped_2C", "chen2020_spme_dynamic"):
        m = json.load(open(os.path.join(ref, cid + ".json")))
        c = {"id": cid, "model": m["model"], "params": m["params"], "steps": m["steps"]}
        for k in ("options", "initial_soc", "ambient"):
            if k in m:
                c[k] = m[k]
        data, _, _ = solve_case(c, 1e-4, 1e-6)
        ours = np.column_stack([np.asarray(d, float).ravel() for d in data])
        theirs = np.loadtxt(os.path.join(ref, cid + ".csv"), delimiter=",", skiprows=1)
        if ours.shape != theirs.shape:
            print(f"{cid}: shape {ours.shape} vs fixture {theirs.shape}")
            bad += 1
            continue
        dt = np.max(np.abs(ours[:, 0] - theirs[:, 0]))
        dv = np.max(np.abs(ours[:, 2] - theirs[:, 2])) * 1e3
        print(f"{cid}: rows {ours.shape[0]} identical layout; max |dt| {dt:.2e} s, max |dV| {dv:.2e} mV")
    return bad


# ---------------------------------------------------------------------------------------------- check

def _read_csv(path):
    import numpy as np
    with open(path) as f:
        header = f.readline().strip().split(",")
    a = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return header, a


def _segments(t):
    """Split row indices into steps: a step boundary is a repeated time (last row of k == first of k+1)."""
    import numpy as np
    cuts = [0] + [i for i in range(1, len(t)) if t[i] == t[i - 1]] + [len(t)]
    return [np.arange(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1) if cuts[k + 1] > cuts[k]]


def compare(ref, ours):
    """Interpolate ours onto the reference times within each step; return a dict of metrics."""
    import numpy as np
    sr, so = _segments(ref[:, 0]), _segments(ours[:, 0])
    res = {"steps_ref": len(sr), "steps_ours": len(so)}
    dv, di, dT, dstep_end = [], [], [], []
    dropped = 0
    if len(sr) == len(so):
        pairs = list(zip(sr, so))
    else:  # different step structure: compare globally on the times that are not step boundaries
        keep_r = np.r_[True, np.diff(ref[:, 0]) > 0] & np.r_[np.diff(ref[:, 0]) > 0, True]
        keep_o = np.r_[True, np.diff(ours[:, 0]) > 0] & np.r_[np.diff(ours[:, 0]) > 0, True]
        pairs = [(np.where(keep_r)[0], np.where(keep_o)[0])]
    for ir, io in pairs:
        tr, to = ref[ir, 0], ours[io, 0]
        dstep_end.append(to[-1] - tr[-1])
        if len(to) == 1:
            m = np.isclose(tr, to[0])
            vals = lambda col: np.full(m.sum(), ours[io[0], col])
        else:
            m = (tr >= to[0] - 1e-9) & (tr <= to[-1] + 1e-9)
            vals = lambda col: np.interp(tr[m], to, ours[io, col])
        dropped += int((~m).sum())
        dv.append(vals(2) - ref[ir, 2][m])
        di.append(vals(1) - ref[ir, 1][m])
        dT.append(vals(3) - ref[ir, 3][m])
    dv, di, dT = (np.concatenate(x) if x else np.zeros(0) for x in (dv, di, dT))
    res.update({
        "n": int(dv.size), "dropped": dropped,
        "v_rmse_mV": float(np.sqrt(np.mean(dv ** 2)) * 1e3) if dv.size else float("nan"),
        "v_max_mV": float(np.max(np.abs(dv)) * 1e3) if dv.size else float("nan"),
        "i_max_A": float(np.max(np.abs(di))) if di.size else float("nan"),
        "T_max_K": float(np.max(np.abs(dT))) if dT.size else float("nan"),
        "t_end_diff_s": float(ours[-1, 0] - ref[-1, 0]),
        "step_end_max_s": float(np.max(np.abs(dstep_end))) if dstep_end else float("nan"),
    })
    return res


def cmd_check(args):
    import glob
    metas = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(args.cases, "*.json")))]
    metas = _select(metas, args.only, args.models)
    if not metas:
        print(f"no cases in {args.cases} (run `generate` first)")
        return 2
    os.makedirs(args.out, exist_ok=True)
    hdr = (f"{'case':34s} {'model':5s} {'V rmse mV':>10s} {'V max mV':>9s} {'I max A':>9s} {'T max K':>9s} "
           f"{'dt_end s':>9s} {'step dt s':>9s} {'rows':>5s} {'ours s':>7s}")
    print(hdr)
    print("-" * len(hdr))
    n_run = 0
    for m in metas:
        out = os.path.join(args.out, m["id"] + ".csv")
        if os.path.exists(out):
            os.remove(out)
        cmd = [args.pulse, "simulate"] + m["cli_args"] + ["--output", out]
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
            wall = time.perf_counter() - t0
            if p.returncode != 0:
                err = (p.stderr.strip() or p.stdout.strip() or f"exit {p.returncode}").splitlines()
                raise RuntimeError(f"exit {p.returncode}: " + (err[-1] if err else ""))
            _, ours = _read_csv(out)
            _, ref = _read_csv(os.path.join(args.cases, m["id"] + ".csv"))
            r = compare(ref, ours)
        except subprocess.TimeoutExpired:
            print(f"{m['id']:34s} {m['model']:5s} not run: timed out after {args.timeout:g} s")
            continue
        except Exception as e:
            print(f"{m['id']:34s} {m['model']:5s} not run: {str(e)[:200]}")
            continue
        n_run += 1
        extra = ""
        if r["steps_ref"] != r["steps_ours"]:
            extra += f"  [steps: ref {r['steps_ref']}, ours {r['steps_ours']}]"
        if r["dropped"]:
            extra += f"  [{r['dropped']} ref rows outside our time range]"
        print(f"{m['id']:34s} {m['model']:5s} {r['v_rmse_mV']:10.4f} {r['v_max_mV']:9.4f} {r['i_max_A']:9.2e} "
              f"{r['T_max_K']:9.2e} {r['t_end_diff_s']:+9.3f} {r['step_end_max_s']:9.3f} {ours.shape[0]:5d} "
              f"{wall:7.2f}{extra}", flush=True)
    print(f"\n{n_run} of {len(metas)} cases run. V compared at the reference times, ours linearly interpolated "
          f"within each step; 'dt_end' = our last time − the reference's; 'step dt' = max |Δ| of step end times.")
    return 0


def _select(items, only, models):
    if only:
        want = set(only.split(","))
        items = [c for c in items if c["id"] in want]
    if models:
        want = {x.lower() for x in models.split(",")}
        items = [c for c in items if c["model"].lower() in want]
    return items


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", default="/tmp/gen-cases")
    g.add_argument("--only", default=None, help="comma-separated case ids")
    g.add_argument("--rtol", type=float, default=1e-6)
    g.add_argument("--atol", type=float, default=1e-8)
    k = sub.add_parser("check")
    k.add_argument("--cases", default="/tmp/gen-cases")
    k.add_argument("--out", default="/tmp/gen-out")
    k.add_argument("--pulse", default=os.path.join(root, ".build", "release", "pulse"))
    k.add_argument("--only", default=None, help="comma-separated case ids")
    k.add_argument("--models", default=None, help="comma-separated models, e.g. spm,spme")
    k.add_argument("--timeout", type=float, default=900.0)
    s = sub.add_parser("selftest")
    s.add_argument("--reference", default=os.path.join(root, "..", "shared", "reference", "pybamm", "cases"))
    sub.add_parser("list")
    a = ap.parse_args()
    if a.mode == "generate":
        return cmd_generate(a)
    if a.mode == "check":
        return cmd_check(a)
    if a.mode == "selftest":
        return cmd_selftest(a)
    for c in case_list():
        print(c["id"], c["model"], c["params"], c.get("options", ""), c.get("initial_soc", ""),
              c.get("ambient", ""), c["steps"][:3], "..." if len(c["steps"]) > 3 else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
