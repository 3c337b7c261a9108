#!/usr/bin/env python3
"""PyBaMM twin of `swift run -c release bench env` (Benchmarks/bench/EnvSuite.swift).

The 16 packs of FleetDispatch-v0's default fleet, one cell each, stepped in PyBaMM: 10 NMC cells
(pybamm.lithium_ion.SPMe() with Chen2020 and {"thermal": "lumped"}) and 6 LFP cells (SPMe with
Prada2013, isothermal, as PulseBMS runs them: Prada2013 has no thermal data). One Simulation per
cell with "Current function [A]" = "[input]" and the IDAKLU solver (PyBaMM defaults: 20 points per
domain and per particle), starting at 50 % SoC.

fleet16_steps_per_s_pybamm_spme: environment steps per second, where one environment step is one
Simulation.step(dt=60) of each of the 16 cells, at a current drawn uniformly in ±0.5C with a seeded
NumPy generator (the magnitude of the baseline dispatch at the default demand), alternating in sign
so that the cells stay near 50 % SoC; save=False. Every 64 steps each cell restarts from its first
step's solution (PyBaMM's equivalent of restoring a saved state). One timed run is 8 environment
steps; the number is 8 / the median run time of --repeats runs after --warmup runs.

Prints one JSON object:
  {"fleet16_steps_per_s_pybamm_spme": ..., "pybamm_version": ..., "threads": 1}
or {"error": "pybamm not installed"} with exit status 2 when PyBaMM cannot be imported.
"""

import argparse
import json
import os
import statistics
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import numpy as np
    import pybamm
except ImportError:
    print(json.dumps({"error": "pybamm not installed"}))
    sys.exit(2)

NMC_CELLS = 10
LFP_CELLS = 6
PERIOD = 60.0
STEPS_PER_RUN = 8
STEPS_PER_RESTORE = 64


class Cell:
    def __init__(self, parameter_set, options, seed):
        parameters = pybamm.ParameterValues(parameter_set)
        parameters.set_initial_state(0.5)
        self.half_c = 0.5 * parameters["Nominal cell capacity [A.h]"]
        parameters.update({"Current function [A]": "[input]"})
        model = pybamm.lithium_ion.SPMe(options)
        self.sim = pybamm.Simulation(model, parameter_values=parameters, solver=pybamm.IDAKLUSolver())
        self.first = self.sim.step(dt=PERIOD, inputs={"Current function [A]": 0.0}, save=False)
        self.solution = self.first
        self.magnitudes = np.random.default_rng(seed).uniform(0, self.half_c, 4096)
        self.count = 0

    def step(self):
        if self.count % STEPS_PER_RESTORE == 0:
            self.solution = self.first
        k = self.count // 2 % len(self.magnitudes)
        current = float(self.magnitudes[k]) * (1 if self.count % 2 == 0 else -1)
        self.count += 1
        self.solution = self.sim.step(dt=PERIOD, inputs={"Current function [A]": current},
                                      starting_solution=self.solution, save=False)

    def voltage(self):
        return self.solution["Voltage [V]"].entries[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    pybamm.set_logging_level("ERROR")
    cells = [Cell("Chen2020", {"thermal": "lumped"}, seed) for seed in range(NMC_CELLS)]
    cells += [Cell("Prada2013", {}, NMC_CELLS + seed) for seed in range(LFP_CELLS)]

    def run():
        for _ in range(STEPS_PER_RUN):
            for cell in cells:
                cell.step()

    for _ in range(args.warmup):
        run()
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    for cell in cells:
        if not (2.0 < cell.voltage() < 4.3):
            raise RuntimeError(f"a stepped cell left its window: {cell.voltage()} V")
    print(json.dumps({"fleet16_steps_per_s_pybamm_spme": STEPS_PER_RUN / statistics.median(samples),
                      "pybamm_version": pybamm.__version__, "threads": 1}))


if __name__ == "__main__":
    main()
