"""Generate BLAST-Lite reference runs for PulseBMS's aging tests (Tests/.../Fixtures/blast-lite/).

Runs NREL BLAST-Lite itself (github.com/NREL/BLAST-Lite, v1.1) on SoC/temperature profiles and
writes its evaluation points as `day,efc,<outputs>` CSV (BLAST-Lite's output names).

How to run (BLAST-Lite is not vendored; a throwaway venv is enough):
    python3 -m venv /tmp/blastvenv && /tmp/blastvenv/bin/pip install numpy scipy pandas rainflow
    mkdir -p /tmp/blast-src && git -C <BLAST-Lite clone> archive HEAD blast | tar -x -C /tmp/blast-src
    PYTHONPATH=/tmp/blast-src /tmp/blastvenv/bin/python docs/validation/blast_reference.py OUTDIR [MODEL ...]
MODEL is a BLAST-Lite class name; generated/ holds the runs of all 14 implemented ones (e.g. `...
Nmc111_Gr_Kokam75Ah_Battery Lfp_Gr_SonyMurata3Ah_Battery NCA_GrSi_SonyMurata2p5Ah_Battery`), except
Lfp_Gr_SonyMurata3Ah_Battery__bench_hourly, which BLAST-Lite turns NaN from day 70 (not kept).
BLAST-Lite imports h5pyd, geopy and matplotlib at module level without needing them here; they are
stubbed below when missing. numpy >= 2.4 lacks np.trapz, which BLAST-Lite calls: aliased to
np.trapezoid (same rule).

Profiles (600 s steps unless noted; `knots` are piecewise-linear (hour of day, SoC)):
    daily_full_25C, twice_daily_80dod_35C, storage_90soc_40C   (the shared references, 365 days)
    random_partial_varT   hourly; seeded random daily cycles (random depth/mean), T 15..40 C, 150 days
    fast_shallow_10C      300 s; 4 shallow 2C swings a day at 10 C, 15 days
    hourly_mixed          hourly; sin^2 daily swing with random DoD and T (0..45 C) per day, 200 days
    bench_hourly          hourly; the bench suite's shape with deterministic draws, 3 years
The shared three and bench_hourly are written without .profile.csv (PulseBMS regenerates them from the knots); the
others also get OUTDIR/PROFILE.profile.csv (t [s],soc,T [C]).
"""
import sys, types, os
import numpy as np

for name in ("h5pyd", "geopy", "geopy.geocoders", "matplotlib", "matplotlib.pyplot"):
    try:
        __import__(name)
    except ImportError:
        module = types.ModuleType(name)
        module.Nominatim = None
        sys.modules[name] = module
if not hasattr(np, "trapz"):
    np.trapz = np.trapezoid

import blast.models as models  # noqa: E402


def knot_profile(knots, days, step=600.0):
    t = np.arange(0, days * 86400 + step / 2, step)
    h = (t / 3600) % 24
    hs, ss = zip(*knots)
    return t, np.interp(h, hs, ss)


def random_partial_varT(days=150, step=3600.0, seed=7):
    rng = np.random.default_rng(seed)
    t = np.arange(0, days * 86400 + step / 2, step)
    soc = np.empty_like(t); temp = np.empty_like(t)
    knots_t, knots_s, knots_T = [], [], []
    for d in range(days + 1):
        mean = rng.uniform(0.3, 0.7); depth = rng.uniform(0.1, 0.8)
        hi, lo = min(1, mean + depth / 2), max(0, mean - depth / 2)
        for hour, value in ((0, lo), (rng.uniform(2, 6), hi), (rng.uniform(10, 14), hi),
                            (rng.uniform(16, 20), lo)):
            knots_t.append(d * 86400 + hour * 3600); knots_s.append(value)
        knots_T += [rng.uniform(15, 40)]
    soc[:] = np.interp(t, knots_t, knots_s)
    temp[:] = np.interp(t, np.arange(days + 1) * 86400, knots_T)
    return t, soc, temp


def fast_shallow_10C(days=15):
    knots = [(0, 0.5)]
    for k in range(4):
        knots += [(6 * k + 0.15, 0.8), (6 * k + 0.3, 0.5)]
    knots += [(24, 0.5)]
    t, soc = knot_profile(knots, days, step=300.0)
    return t, soc, np.full_like(t, 10.0)


def hourly_mixed(days=200, seed=11):
    rng = np.random.default_rng(seed)
    t = np.arange(0, days * 24 + 1) * 3600.0
    soc = np.empty_like(t); temp = np.empty_like(t)
    for i, ti in enumerate(t):
        d, h = divmod(ti / 3600, 24)
        if h == 0:
            dod = rng.uniform(0.2, 0.9); tc = rng.uniform(0, 45)
        soc[i] = 0.95 - dod * (np.sin(np.pi * h / 24) ** 2)
        temp[i] = tc
    return t, soc, temp


def bench_hourly(days=1095):
    """Hourly, the bench suite's daily shape with deterministic draws (reproducible bit-for-bit in
    Swift: BlastLiteGeneratedTests.benchHourly): depth 0.1 + 0.8 frac(0.6180339887498949 d), mean
    centred in its feasible range by frac(0.7548776662466927 d), T 5 + 35 frac(0.5698402909980532 d)."""
    t = np.arange(days * 24 + 1) * 3600.0
    soc = np.empty_like(t); temp = np.empty_like(t)
    for k in range(len(t)):
        d, h = divmod(k, 24)
        depth = 0.1 + 0.8 * ((d * 0.6180339887498949) % 1.0)
        lo_mean = 0.05 + depth / 2
        mean = lo_mean + (0.95 - depth / 2 - lo_mean) * ((d * 0.7548776662466927) % 1.0)
        high, low = mean + depth / 2, mean - depth / 2
        if h <= 8: s = high
        elif h <= 12: s = high - (high - low) * (h - 8) / 4
        elif h <= 18: s = low
        elif h <= 22: s = low + (high - low) * (h - 18) / 4
        else: s = high
        soc[k] = s
        temp[k] = 5 + 35 * ((d * 0.5698402909980532) % 1.0)
    return t, soc, temp


def profiles():
    full = [(0, 0.05), (4, 1.0), (17, 1.0), (21, 0.05), (24, 0.05)]
    twice = [(0, 0.1), (3, 0.9), (7, 0.9), (10, 0.1), (12, 0.1), (15, 0.9), (19, 0.9), (22, 0.1), (24, 0.1)]
    t, s = knot_profile(full, 365); yield "daily_full_25C", t, s, np.full_like(t, 25.0)
    t, s = knot_profile(twice, 365); yield "twice_daily_80dod_35C", t, s, np.full_like(t, 35.0)
    t, s = knot_profile([(0, 0.9), (24, 0.9)], 365); yield "storage_90soc_40C", t, s, np.full_like(t, 40.0)
    yield ("random_partial_varT",) + random_partial_varT()
    yield ("fast_shallow_10C",) + fast_shallow_10C()
    yield ("hourly_mixed",) + hourly_mixed()
    yield ("bench_hourly",) + bench_hourly()


def run(model_name, t, soc, temp):
    cell = getattr(models, model_name)()
    cell.simulate_battery_life({"Time_s": t, "SOC": soc, "Temperature_C": temp})
    names = list(cell.outputs.keys())
    cols = [cell.stressors["t_days"], cell.stressors["efc"]] + [cell.outputs[k] for k in names]
    return ["day", "efc"] + names, np.column_stack(cols)


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or ["Lfp_Gr_250AhPrismatic", "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery",
                             "Nmc811_GrSi_LGM50_5Ah_Battery"]
    only = os.environ.get("PROFILES")
    os.makedirs(out, exist_ok=True)
    for profile, t, soc, temp in profiles():
        if only and profile not in only.split(","):
            continue
        for name in names:
            header, table = run(name, t, soc, temp)
            path = os.path.join(out, f"{name}__{profile}.csv")
            np.savetxt(path, table, delimiter=",", header=",".join(header), comments="", fmt="%.10g")
            shared = profile in ("daily_full_25C", "twice_daily_80dod_35C", "storage_90soc_40C", "bench_hourly")
            if not shared and not os.path.exists(os.path.join(out, f"{profile}.profile.csv")):
                np.savetxt(os.path.join(out, f"{profile}.profile.csv"), np.column_stack([t, soc, temp]),
                           delimiter=",", header="t [s],soc,T [C]", comments="", fmt="%.17g")
            print(path, len(table), "rows, final q", table[-1, 2])


if __name__ == "__main__":
    main()
