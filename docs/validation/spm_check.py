#!/usr/bin/env python3
"""
Independent re-implementation of PyBaMM 26.x SPM and SPMe (Chen2020, isothermal,
default options, default mesh of 20 FV per domain) to validate docs/electrochemistry-spec.md.

Usage: python3 docs/validation/spm_check.py [--spme-only|--spm-only|--prada]
Compares against /work/shared/reference/pybamm/cases/chen2020_{spm,spme}_1C.csv and,
for SPMe, chen2020_spme_dynamic.csv (current steps) and chen2020_spme_power.csv
(constant power, current as an algebraic unknown solved per RHS call).
"""
import json
import sys

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

REF = "/work/shared/reference/pybamm"
F = 96485.33212  # scipy.constants Faraday [C/mol]
Rg = 8.314462618  # [J/mol/K]

SET = "Prada2013" if any("prada" in a.lower() for a in sys.argv[1:]) else "Chen2020"
P = json.load(open(f"{REF}/parameters/{SET}.json"))["scalars"]


# ---------------------------------------------------------------- closed forms
def asym0(s):
    """PyBaMM U_asymptote_approaching_zero (vectorised)."""
    a, b, c = 205.0568621937484, 6910.192179565431, -7.7e-4
    lim = c - np.log(2.0 / np.finfo(float).eps) / b
    s = np.asarray(s, float)
    return a * (np.log1p(np.exp(-b * (np.maximum(lim, s) - c))) - b * np.minimum(0.0, s - lim))


def asym(s):
    return asym0(s) - asym0(1.0 - s)


def clip(s, tol=1e-10):
    return np.minimum(np.maximum(s, tol), 1 - tol)


def U_n(s):
    x = clip(s)
    u = (1.9793 * np.exp(-39.3631 * x) + 0.2482 - 0.0909 * np.tanh(29.8538 * (x - 0.1234))
         - 0.04478 * np.tanh(14.9159 * (x - 0.2769)) - 0.0205 * np.tanh(30.4444 * (x - 0.6103)))
    return u + asym(s)


def U_p(s):
    x = clip(s)
    if SET == "Prada2013":  # LFP, Afshar 2017
        u = 3.4077 - 0.020269 * x + 0.5 * np.exp(-150 * x) - 0.9 * np.exp(-30 * (1 - x))
    else:  # NMC811, Chen 2020
        u = (-0.8090 * x + 4.4875 - 0.0428 * np.tanh(18.5138 * (x - 0.5542))
             - 17.7326 * np.tanh(15.7890 * (x - 0.3117)) + 17.5842 * np.tanh(15.9308 * (x - 0.3120)))
    return u + asym(s)


def regsqrt(x, scale, delta=1e-3):
    """PyBaMM RegPower(x, 0.5, scale): (x/s)*((x/s)^2+d^2)^(-1/4)*sqrt(s)."""
    xs = x / scale
    return xs * (xs * xs + delta * delta) ** (-0.25) * np.sqrt(scale)


def j0(k_ref, E_r, c_e, c_s, c_max, T, model="DFN"):
    """k(T) c_e^0.5 c_s^0.5 (c_max-c_s)^0.5 with PyBaMM 26.10's RegPower regularisation of
    each square root, whose scale depends on the model (observed, see plan section 1.4):
      SPM : c_e constant -> plain sqrt; c_s and c_max-c_s scaled by c_max
      SPMe: c_e scaled by c_e_init; c_s and c_max-c_s with scale 1 (i.e. plain sqrt)
      DFN : c_e scaled by c_e_init; c_s and c_max-c_s scaled by c_max
    """
    arr = np.exp(E_r / Rg * (1 / 298.15 - 1 / T))
    if model == "SPM":
        f = np.sqrt(c_e) * regsqrt(c_s, c_max) * regsqrt(c_max - c_s, c_max)
    elif model == "SPMe":
        f = regsqrt(c_e, c_e0) * regsqrt(c_s, 1.0) * regsqrt(c_max - c_s, 1.0)
    else:
        f = regsqrt(c_e, c_e0) * regsqrt(c_s, c_max) * regsqrt(c_max - c_s, c_max)
    return k_ref * arr * f


def D_e(c):
    c = np.maximum(c, 10.0)
    if SET == "Prada2013":
        return np.full_like(c, 2e-10)
    return 8.794e-11 * (c / 1000) ** 2 - 3.972e-10 * (c / 1000) + 4.862e-10  # Nyman 2008


def kappa_e(c):
    c = np.maximum(c, 10.0)
    if SET == "Prada2013":
        m = c / 1e6  # mol/L / 1000 as in PyBaMM's Prada2013 file
        return (4.1253e-4 + 5.007 * m - 4721.2 * m ** 2 + 1.5094e6 * m ** 3 - 1.6018e8 * m ** 4) * 1e3
    return 0.1297 * (c / 1000) ** 3 - 2.51 * (c / 1000) ** 1.5 + 3.329 * (c / 1000)  # Nyman 2008


def arcsinh2(a, b, eps=1e-16):
    sb = np.where(b >= 0, 1.0, -1.0)
    return np.arcsinh(a / (sb * np.hypot(b, eps)))


# ---------------------------------------------------------------- parameters
T = P["Ambient temperature [K]"]  # isothermal: T = T_amb (298 K for Prada2013, Arrhenius ref stays 298.15)
L_n, L_s, L_p = P["Negative electrode thickness [m]"], P["Separator thickness [m]"], P["Positive electrode thickness [m]"]
L_x = L_n + L_s + L_p
A_cc = P["Electrode width [m]"] * P["Electrode height [m]"] * P["Number of electrodes connected in parallel to make a cell"]
R_n, R_p = P["Negative particle radius [m]"], P["Positive particle radius [m]"]
eps_s_n, eps_s_p = P["Negative electrode active material volume fraction"], P["Positive electrode active material volume fraction"]
a_n, a_p = 3 * eps_s_n / R_n, 3 * eps_s_p / R_p
cmax_n, cmax_p = P["Maximum concentration in negative electrode [mol.m-3]"], P["Maximum concentration in positive electrode [mol.m-3]"]
Ds_n, Ds_p = P["Negative particle diffusivity [m2.s-1]"], P["Positive particle diffusivity [m2.s-1]"]
eps_n, eps_s, eps_p = P["Negative electrode porosity"], P["Separator porosity"], P["Positive electrode porosity"]
b_n, b_s, b_p = (P["Negative electrode Bruggeman coefficient (electrolyte)"], P["Separator Bruggeman coefficient (electrolyte)"],
                 P["Positive electrode Bruggeman coefficient (electrolyte)"])
tor_n, tor_s, tor_p = eps_n ** b_n, eps_s ** b_s, eps_p ** b_p
sig_n = P["Negative electrode conductivity [S.m-1]"] * (1 - eps_n) ** P["Negative electrode Bruggeman coefficient (electrode)"]
sig_p = P["Positive electrode conductivity [S.m-1]"] * (1 - eps_p) ** P["Positive electrode Bruggeman coefficient (electrode)"]
t_plus = P["Cation transference number"]
TDF = P["Thermodynamic factor"]
c_e0 = P["Initial concentration in electrolyte [mol.m-3]"]
Qnom = P["Nominal cell capacity [A.h]"]
K_N, E_N = 6.48e-7, 35000.0
K_P, E_P = (6e-7, 39570.0) if SET == "Prada2013" else (3.42e-6, 17800.0)

NR = 20
NX = 20


def sphere_ops(R, N):
    e = np.linspace(0, R, N + 1)
    h = R / N
    vol = (e[1:] ** 3 - e[:-1] ** 3) / 3.0  # shell volume / 4pi
    return e, h, vol


e_n, h_n_r, vol_n = sphere_ops(R_n, NR)
e_p, h_p_r, vol_p = sphere_ops(R_p, NR)


def particle_rhs(c, D, e, h, vol, flux_surf):
    """FV spherical diffusion, Neumann 0 at r=0 and N=flux_surf [mol/m2/s] outward at r=R."""
    N = np.zeros(len(c) + 1)
    N[1:-1] = -D * (c[1:] - c[:-1]) / h
    N[-1] = flux_surf
    r2N = e ** 2 * N
    return -(r2N[1:] - r2N[:-1]) / vol


def surf(c):  # linear extrapolation, uniform mesh: dxN/dxNm1 = 0.5
    return c[-1] + 0.5 * (c[-1] - c[-2])


def ravg(c, vol):
    return np.dot(c, vol) / vol.sum()


# x mesh (electrolyte): 20 + 20 + 20 cells, uniform within each domain
dx = np.concatenate([np.full(NX, L_n / NX), np.full(NX, L_s / NX), np.full(NX, L_p / NX)])
xe = np.concatenate([[0.0], np.cumsum(dx)])
xc = 0.5 * (xe[1:] + xe[:-1])
eps_x = np.concatenate([np.full(NX, eps_n), np.full(NX, eps_s), np.full(NX, eps_p)])
tor_x = np.concatenate([np.full(NX, tor_n), np.full(NX, tor_s), np.full(NX, tor_p)])
dnode = xc[1:] - xc[:-1]
beta = dx[:-1] / (dx[:-1] + dx[1:])
x_n_nodes, x_p_nodes = xc[:NX], xc[2 * NX:]


def electrolyte_rhs(c_e, i_cc):
    """d(eps c_e)/dt for SPMe (uniform reaction: a j = i/L_n, -i/L_p)."""
    Dt = tor_x * D_e(c_e)
    Dh = 1.0 / (beta / Dt[:-1] + (1 - beta) / Dt[1:])  # harmonic mean on interior edges
    N = np.zeros(len(c_e) + 1)
    N[1:-1] = -Dh * (c_e[1:] - c_e[:-1]) / dnode
    # migration t+ i_e / F evaluated on nodes, 'arithmetic' node->edge (weighted interior, linear extrapolation at ends)
    i_e = np.concatenate([i_cc * x_n_nodes / L_n, np.full(NX, i_cc), i_cc * (L_x - x_p_nodes) / L_p])
    m = t_plus * i_e / F
    me = np.empty(len(c_e) + 1)
    w = dx[:-1] / (dx[:-1] + dx[1:])  # PyBaMM 26.10: distance-weighted linear interpolation
    me[1:-1] = (1 - w) * m[:-1] + w * m[1:]
    me[0] = 1.5 * m[0] - 0.5 * m[1]
    me[-1] = 1.5 * m[-1] - 0.5 * m[-2]
    N = N + me
    src = np.concatenate([np.full(NX, i_cc / L_n), np.zeros(NX), np.full(NX, -i_cc / L_p)]) / F
    return -(N[1:] - N[:-1]) / dx + src


def voltage(cn, cp, c_e, I, model):
    i_cc = I / A_cc
    jn = i_cc / (a_n * L_n)
    jp = -i_cc / (a_p * L_p)
    csn, csp = surf(cn), surf(cp)
    RT_F = Rg * T / F
    if model == "SPM":
        ce_n = ce_p = np.array([c_e0])
    else:
        ce_n, ce_p = c_e[:NX], c_e[2 * NX:]
    eta_n = np.mean(2 * RT_F * arcsinh2(jn, 2 * j0(K_N, E_N, ce_n, csn, cmax_n, T, model)))
    eta_p = np.mean(2 * RT_F * arcsinh2(jp, 2 * j0(K_P, E_P, ce_p, csp, cmax_p, T, model)))
    dphi_n = U_n(csn / cmax_n) + eta_n  # x-averaged surface potential difference
    dphi_p = U_p(csp / cmax_p) + eta_p
    if model == "SPM":
        return dphi_p - dphi_n
    # SPMe: composite electrolyte conductivity + composite ohm (PyBaMM defaults)
    # PyBaMM 26.10 evaluates "X-averaged electrolyte concentration" as
    # x_avg(eps*c_e) * x_avg(1/eps) (its x-average simplifier pulls the constant
    # 1/eps factor out of the average). Constant in time (Li in electrolyte is
    # conserved): 1036.23 mol/m3 for Chen2020, not 1000. Used only in kappa_e here.
    ce_av = (np.dot(eps_x * c_e, dx) / L_x) * (np.dot(1.0 / eps_x, dx) / L_x)
    kap = kappa_e(ce_av)
    kn, ks, kp = kap * tor_n, kap * tor_s, kap * tor_p
    chi = 2 * (1 - t_plus) * TDF
    mac = lambda c: np.log(np.maximum(c / ce_av, 1e-15))
    phi_s_n = (i_cc / sig_n) * (x_n_nodes * (x_n_nodes - 2 * L_n) / (2 * L_n))
    phi_s_n_av = np.mean(phi_s_n)
    phi_e_const = (-dphi_n + phi_s_n_av - chi * RT_F * np.mean(mac(ce_n))
                   - i_cc * L_n * (1 / (3 * kn) - 1 / ks))
    phi_e_p = (phi_e_const + chi * RT_F * mac(ce_p)
               - (i_cc / kp) * (x_p_nodes * (2 * L_x - x_p_nodes) + L_p ** 2 - L_x ** 2) / (2 * L_p)
               - i_cc * (L_x - L_p) / ks)
    phi_e_p_av = np.mean(phi_e_p)
    const = dphi_p + phi_e_p_av + (i_cc / sig_p) * (L_x - L_p / 3)
    phi_s_p = const - (i_cc / sig_p) * (x_p_nodes + (x_p_nodes - L_x) ** 2 / (2 * L_p))
    return phi_s_p[-1] + 0.5 * (phi_s_p[-1] - phi_s_p[-2])  # linear extrapolation to x = L_x


class Model:
    def __init__(self, model):
        self.model = model
        self.ne = NX * 3 if model == "SPMe" else 0

    def unpack(self, y):
        return y[:NR], y[NR:2 * NR], y[2 * NR:2 * NR + self.ne] / eps_x if self.ne else None

    def y0(self, sto_n, sto_p):
        y = [np.full(NR, sto_n * cmax_n), np.full(NR, sto_p * cmax_p)]
        if self.ne:
            y.append(eps_x * c_e0)
        y.append([0.0])  # discharge capacity [A.h]
        return np.concatenate(y)

    def current(self, y, mode, value):
        if mode == "I":
            return value
        cn, cp, ce = self.unpack(y)
        # power: solve I*V(I) = P (algebraic current); bracket around P/OCV
        f = lambda I: I * voltage(cn, cp, ce, I, self.model) - value
        I0 = value / (U_p(surf(cp) / cmax_p) - U_n(surf(cn) / cmax_n))
        return brentq(f, 0.5 * I0, 2.0 * I0, xtol=1e-13)

    def rhs(self, t, y, mode, value):
        cn, cp, ce = self.unpack(y)
        I = self.current(y, mode, value)
        i_cc = I / A_cc
        jn = i_cc / (a_n * L_n)
        jp = -i_cc / (a_p * L_p)
        out = [particle_rhs(cn, Ds_n, e_n, h_n_r, vol_n, jn / F),
               particle_rhs(cp, Ds_p, e_p, h_p_r, vol_p, jp / F)]
        if self.ne:
            out.append(electrolyte_rhs(ce, i_cc))
        out.append([I / 3600.0])
        return np.concatenate(out)

    def outputs(self, y, mode, value):
        cn, cp, ce = self.unpack(y)
        I = self.current(y, mode, value)
        V = voltage(cn, cp, ce, I, self.model)
        return dict(I=I, V=V, sns=surf(cn) / cmax_n, sps=surf(cp) / cmax_p,
                    sna=ravg(cn, vol_n) / cmax_n, spa=ravg(cp, vol_p) / cmax_p, Q=y[-1])


def split_ref_steps(t):
    """Reference rows per step: a step's last row and the next step's first row share t."""
    bounds = [0] + [k for k in range(1, len(t)) if t[k] == t[k - 1]] + [len(t)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def parse_step(step):
    words = step.split()
    sign = -1.0 if words[0] == "Charge" else 1.0
    val, unit = words[2], (words[3] if len(words) > 3 else "")
    if val.endswith("C"):
        mode, value = "I", sign * float(val[:-1]) * Qnom
    elif val.endswith("W"):
        mode, value = "P", sign * float(val[:-1])
    elif unit == "A":
        mode, value = "I", sign * float(val)
    elif unit == "W":
        mode, value = "P", sign * float(val)
    else:
        raise ValueError(f"unsupported step in this check: {step!r}")
    if " until " in step:
        return mode, value, float(step.split(" until ")[1].split()[0]), 24 * 3600.0
    dur = step.split(" for ")[1].split()
    return mode, value, None, float(dur[0]) * {"seconds": 1, "minutes": 60, "hours": 3600}[dur[1]]


def run_steps(modelname, case):
    d = json.load(open(f"{REF}/cases/{case}.json"))
    ref = np.genfromtxt(f"{REF}/cases/{case}.csv", delimiter=",", names=True)
    m = Model(modelname)
    y = m.y0(d["initial_sto_n"], d["initial_sto_p"])
    t0 = 0.0
    groups = split_ref_steps(ref["t_s"])
    assert len(groups) == len(d["steps"]), (len(groups), len(d["steps"]))
    out = {k: [] for k in ("V", "I", "sns", "sps", "sna", "spa")}
    t_end_me = []
    for step, (a, b) in zip(d["steps"], groups):
        mode, value, vcut, dur = parse_step(step)
        events = None
        if vcut is not None:
            ev = lambda t, y, *args: m.outputs(y, mode, value)["V"] - vcut
            ev.terminal = True
            events = [ev]
        sol = solve_ivp(m.rhs, (0, dur), y, method="BDF", args=(mode, value), events=events,
                        rtol=1e-9, atol=1e-9 * np.maximum(np.abs(y), 1.0), dense_output=True)
        tf = sol.t[-1]
        t_local = np.minimum(ref["t_s"][a:b] - ref["t_s"][a], tf)
        for tl in t_local:
            o = m.outputs(sol.sol(tl), mode, value)
            for k in out:
                out[k].append(o[k])
        y = sol.y[:, -1]
        t_end_me.append(t0 + tf)
        t0 += tf
    err = np.array(out["V"]) - ref["V_V"]
    names = {"sns": "sto_n_surf", "sps": "sto_p_surf", "sna": "sto_n_avg", "spa": "sto_p_avg"}
    sto_err = {v: np.max(np.abs(np.array(out[k]) - ref[v])) for k, v in names.items()}
    print(f"{case:28s} {modelname:5s} V RMSE = {1e3*np.sqrt(np.mean(err**2)):.4f} mV, max = {1e3*np.max(np.abs(err)):.4f} mV, "
          f"V(0) err = {1e3*err[0]:+.4f} mV, t_end me/ref = {t_end_me[-1]:.3f}/{ref['t_s'][-1]:.3f} s")
    print("    max |sto err|:", ", ".join(f"{k}={v:.2e}" for k, v in sto_err.items()),
          f"; max |I err| = {np.max(np.abs(np.array(out['I']) - ref['I_A'])):.2e} A")
    return err


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--spme-only" not in args and SET == "Chen2020":
        run_steps("SPM", "chen2020_spm_1C")
    if SET == "Prada2013":
        run_steps("SPMe", "prada2013_spme_1C")
        sys.exit(0)
    if "--spm-only" not in args:
        run_steps("SPMe", "chen2020_spme_1C")
        run_steps("SPMe", "chen2020_spme_dynamic")
        run_steps("SPMe", "chen2020_spme_power")
