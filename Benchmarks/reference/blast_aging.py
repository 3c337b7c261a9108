#!/usr/bin/env python3
"""BLAST-Lite twin of `swift run -c release bench aging` (Benchmarks/bench/AgingSuite.swift).

Times NREL BLAST-Lite 1.1's own `simulate_battery_life` (batch; one core) on ten years of hourly
samples (87,601) for one cell of each of Lfp_Gr_250AhPrismatic, Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery
and Nmc811_GrSi_LGM50_5Ah_Battery, with the bench's profile shape (daily cycle of random depth about a
random mean, discharging hours 8-12, charging 18-22; temperature random per day 5-40 C plus a +-3 C
diurnal ramp; NumPy's seeded generator, so not the same draws). Profile generation is not timed.
Reports the 1000-cell figure extrapolated from the mean per-cell time on one core, divided by the
core count (BLAST-Lite itself is single-threaded; this assumes perfect parallel scaling for it).

BLAST-Lite must be importable (`blast` on PYTHONPATH, e.g. a checkout of github.com/NREL/BLAST-Lite);
h5pyd, geopy and matplotlib are stubbed when missing, np.trapz aliased on numpy >= 2.4.
Prints {"aging_10y_1000cells_s": ..., "aging_cell_year_us": ..., "per_cell_s": {...},
"blast_version": ..., "threads": 1} or {"error": ...} with exit status 2 when BLAST-Lite is missing.
"""
import argparse, json, os, statistics, sys, time, types

try:
    import numpy as np
    for name in ("h5pyd", "geopy", "geopy.geocoders", "matplotlib", "matplotlib.pyplot"):
        try:
            __import__(name)
        except ImportError:
            module = types.ModuleType(name); module.Nominatim = None; sys.modules[name] = module
    if not hasattr(np, "trapz"):
        np.trapz = np.trapezoid
    import blast.models as models
except Exception as error:  # noqa: BLE001
    print(json.dumps({"error": f"BLAST-Lite not importable: {error}"}))
    sys.exit(2)

MODELS = ["Lfp_Gr_250AhPrismatic", "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery", "Nmc811_GrSi_LGM50_5Ah_Battery"]
HOURS = 10 * 365 * 24


def profile(seed):
    rng = np.random.default_rng(seed)
    hours = np.arange(HOURS + 1)
    soc = np.empty(HOURS + 1); temp = np.empty(HOURS + 1)
    for k in hours:
        h = k % 24
        if h == 0:
            depth = rng.uniform(0.1, 0.9); mean = rng.uniform(0.05 + depth / 2, 0.95 - depth / 2)
            high, low = mean + depth / 2, mean - depth / 2; celsius = rng.uniform(5, 40)
        if h <= 8: s = high
        elif h <= 12: s = high - (high - low) * (h - 8) / 4
        elif h <= 18: s = low
        elif h <= 22: s = low + (high - low) * (h - 18) / 4
        else: s = high
        soc[k] = s; temp[k] = celsius + 3 * min(1, max(-1, 1 - abs(h - 14) / 7))
    return {"Time_s": hours * 3600.0, "SOC": soc, "Temperature_C": temp}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=0)
    args = parser.parse_args()
    per_cell = {}
    for seed, name in enumerate(MODELS):
        data = profile(seed)
        times = []
        for _ in range(max(1, min(args.repeats, 2))):
            cell = getattr(models, name)()
            start = time.perf_counter()
            cell.simulate_battery_life(data)
            times.append(time.perf_counter() - start)
        per_cell[name] = statistics.median(times)
    mean = statistics.mean(per_cell.values())
    cores = os.cpu_count() or 1
    print(json.dumps({"aging_10y_1000cells_s": mean * 1000 / cores, "aging_cell_year_us": mean / 10 * 1e6,
                      "per_cell_s": per_cell, "blast_version": "1.1", "threads": 1}))


if __name__ == "__main__":
    main()
