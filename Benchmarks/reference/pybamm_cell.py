#!/usr/bin/env python3
"""PyBaMM twin of `swift run -c release bench cell` (Benchmarks/bench/CellSuite.swift).

Models: pybamm.lithium_ion.SPM(), SPMe() and DFN() with the parameter set Chen2020, and
pybamm.equivalent_circuit.Thevenin() (one RC pair) with its "ECM_Example" set; IDAKLU solver
(PyBaMM defaults for discretisation: 20 points per domain and per particle). The ECM has
only the step key, as in the issue.

(a) full_discharge_ms_<model>: the warm wall time of Simulation.solve() of the experiment
    ["Discharge at 1C until 2.5 V"] with period "10 seconds", from the default Chen2020
    initial state. One untimed solve builds the model and compiles the solver; every timed
    run re-solves the same Simulation.
(b) step_us_<model>: one Simulation.step(dt=10) with "Current function [A]" = "[input]",
    the current drawn uniformly in ±1C (5 A) with a seeded NumPy generator, starting at
    50 % SoC. Every 64 steps the run restarts from the first step's solution (PyBaMM's
    equivalent of restoreState), so the cell stays in its voltage window. save=False, so
    the steps do not accumulate a solution. Each timed run is 64 steps; per-step time is
    the run time / 64.

Each number is the median of --repeats timed runs after --warmup untimed ones.

Prints one JSON object:
  {"full_discharge_ms_spm": ..., "full_discharge_ms_spme": ..., "full_discharge_ms_dfn": ...,
   "step_us_ecm": ..., "step_us_spm": ..., "step_us_spme": ..., "step_us_dfn": ...,
   "pybamm_version": ..., "threads": 1}
or {"error": "pybamm not installed"} with exit status 2 when PyBaMM cannot be imported.
"""

import argparse
import json
import os
import statistics
import sys
import time

# One core, as on the Swift side (IDAKLU may use OpenMP; BLAS threads off).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import numpy as np
    import pybamm
except ImportError:
    print(json.dumps({"error": "pybamm not installed"}))
    sys.exit(2)

STEPS_PER_RESTORE = 64
PERIOD = 10.0
CUTOFF = 2.5


def timed(body, repeats, warmup):
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def models():
    return [("spm", pybamm.lithium_ion.SPM), ("spme", pybamm.lithium_ion.SPMe), ("dfn", pybamm.lithium_ion.DFN)]


def step_models():
    """(name, model class, parameter values at 50 % SoC, 1C current [A])."""
    chen = pybamm.ParameterValues("Chen2020")
    one_c = chen["Nominal cell capacity [A.h]"]
    result = [("ecm", pybamm.equivalent_circuit.Thevenin, ecm_parameters(), None)]
    for name, model_class in models():
        result.append((name, model_class, chen.copy(), one_c))
    return result


def ecm_parameters():
    parameters = pybamm.ParameterValues("ECM_Example")
    parameters.update({"Initial SoC": 0.5})
    return parameters


def full_discharge(model_class, repeats, warmup):
    experiment = pybamm.Experiment([f"Discharge at 1C until {CUTOFF} V"], period=f"{PERIOD:g} seconds")
    sim = pybamm.Simulation(model_class(), parameter_values=pybamm.ParameterValues("Chen2020"),
                            experiment=experiment, solver=pybamm.IDAKLUSolver())
    solution = sim.solve()  # builds and compiles; untimed
    if solution["Time [s]"].entries[-1] < 3000:
        raise RuntimeError("a 1C discharge of Chen2020 should last about an hour")
    return timed(lambda: sim.solve(), repeats, warmup)


def step(model_class, parameters, repeats, warmup, one_c):
    if one_c is None:  # the ECM: its own capacity, no electrode balancing
        one_c = parameters["Cell capacity [A.h]"]
    else:
        parameters.set_initial_state(0.5)
    parameters.update({"Current function [A]": "[input]"})
    sim = pybamm.Simulation(model_class(), parameter_values=parameters, solver=pybamm.IDAKLUSolver())
    rng = np.random.default_rng(2026)
    currents = rng.uniform(-one_c, one_c, 4096)
    first = sim.step(dt=PERIOD, inputs={"Current function [A]": 0.0}, save=False)
    state = {"next": 0}

    def run():
        solution = first
        for _ in range(STEPS_PER_RESTORE):
            current = float(currents[state["next"]])
            state["next"] = (state["next"] + 1) % len(currents)
            solution = sim.step(dt=PERIOD, inputs={"Current function [A]": current},
                                starting_solution=solution, save=False)
        return solution

    last = run()
    voltage = last["Voltage [V]"].entries[-1]
    if not (2.5 < voltage < 4.3):
        raise RuntimeError(f"the stepped cell left its window: {voltage} V")
    return timed(run, repeats, warmup) / STEPS_PER_RESTORE


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--only", help="run only this JSON key")
    args = parser.parse_args()
    pybamm.set_logging_level("ERROR")
    result = {}
    for name, model_class in models():
        key = f"full_discharge_ms_{name}"
        if args.only in (None, key):
            result[key] = full_discharge(model_class, args.repeats, args.warmup) * 1e3
    for name, model_class, parameters, one_c in step_models():
        key = f"step_us_{name}"
        if args.only in (None, key):
            result[key] = step(model_class, parameters, args.repeats, args.warmup, one_c) * 1e6
    result["pybamm_version"] = pybamm.__version__
    result["threads"] = 1
    print(json.dumps(result))


if __name__ == "__main__":
    main()
