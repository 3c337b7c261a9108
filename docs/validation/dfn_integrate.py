#!/usr/bin/env python3
"""
Time integration of the DFN (+ optional lumped thermal) spec against the reference CSVs.
Semi-explicit index-1 DAE handled by eliminating the 100 potentials with a Newton solve
inside every RHS call (fine for a check; the Swift plan solves the full DAE with a
banded Newton instead). Usage: python3 docs/validation/dfn_integrate.py [case ...]
"""
import sys

import numpy as np

exec(open(__import__("os").path.join(__import__("os").path.dirname(__file__), "spm_check.py")).read().split('if __name__ == "__main__":')[0])

Lcn, Lcp = P["Negative current collector thickness [m]"], P["Positive current collector thickness [m]"]
L_tot = Lcn + L_x + Lcp
Vcell = P["Cell volume [m3]"]
rho_cp = (P["Negative current collector density [kg.m-3]"] * P["Negative current collector specific heat capacity [J.kg-1.K-1]"] * Lcn
          + P["Negative electrode density [kg.m-3]"] * P["Negative electrode specific heat capacity [J.kg-1.K-1]"] * L_n
          + P["Separator density [kg.m-3]"] * P["Separator specific heat capacity [J.kg-1.K-1]"] * L_s
          + P["Positive electrode density [kg.m-3]"] * P["Positive electrode specific heat capacity [J.kg-1.K-1]"] * L_p
          + P["Positive current collector density [kg.m-3]"] * P["Positive current collector specific heat capacity [J.kg-1.K-1]"] * Lcp) / L_tot
h_n, h_p = L_n / NX, L_p / NX
w_x = dx[:-1] / (dx[:-1] + dx[1:])
chi = 2 * (1 - t_plus) * TDF
NP = NX * NR


def part_rhs_2d(c, D, e, h, vol, flux):
    N = np.zeros((c.shape[0], c.shape[1] + 1))
    N[:, 1:-1] = -D * (c[:, 1:] - c[:, :-1]) / h
    N[:, -1] = flux
    r2N = e ** 2 * N
    return -(r2N[:, 1:] - r2N[:, :-1]) / vol


class DFN:
    def __init__(self, thermal):
        self.thermal = thermal
        self.phi = None  # warm start for the potentials

    def y0(self, sto_n, sto_p):
        return np.concatenate([np.full(NP, sto_n * cmax_n), np.full(NP, sto_p * cmax_p), eps_x * c_e0,
                               [P["Initial temperature [K]"]], [0.0]])

    def split(self, y):
        cn = y[:NP].reshape(NX, NR)
        cp = y[NP:2 * NP].reshape(NX, NR)
        ce = y[2 * NP:2 * NP + 3 * NX] / eps_x
        T = y[2 * NP + 3 * NX] if self.thermal else P["Ambient temperature [K]"]
        return cn, cp, ce, T

    def fields(self, y, I):
        """Solve the 100 algebraic equations for the potentials; return everything."""
        cn, cp, ce, T = self.split(y)
        RT_F = Rg * T / F
        i_cc = I / A_cc
        csn = cn[:, -1] + 0.5 * (cn[:, -1] - cn[:, -2])
        csp = cp[:, -1] + 0.5 * (cp[:, -1] - cp[:, -2])
        Un, Up = U_n(csn / cmax_n), U_p(csp / cmax_p)
        j0n = j0(K_N, E_N, ce[:NX], csn, cmax_n, T)
        j0p = j0(K_P, E_P, ce[2 * NX:], csp, cmax_p, T)
        kap_node = kappa_e(ce) * tor_x
        kap_e = (1 - w_x) * kap_node[:-1] + w_x * kap_node[1:]
        q = RT_F * chi / np.maximum(ce, 1e-2)
        q_e = 1.0 / (beta / q[:-1] + (1 - beta) / q[1:])
        diff_term = kap_e * q_e * (ce[1:] - ce[:-1]) / dnode  # i_e part from concentration gradient
        # linear operators: div(i_s) = Ls_n @ phi_s_n (+ bc), div(i_e) = Le @ phi_e + div(diff_term)
        n = 100
        if self.phi is None:
            self.phi = np.concatenate([np.zeros(NX), np.full(NX, Up.mean() - Un.mean()), np.full(3 * NX, -Un.mean())])
        phi = self.phi.copy()
        if not hasattr(self, "Jsolid"):
            def lin_s(ph):
                ps_n, ps_p = ph[:NX], ph[NX:2 * NX]
                gs_n = np.concatenate([[2 * ps_n[0] / h_n], (ps_n[1:] - ps_n[:-1]) / h_n, [0.0]])
                gs_p = np.concatenate([[0.0], (ps_p[1:] - ps_p[:-1]) / h_p, [0.0]])
                is_n, is_p = -sig_n * gs_n, -sig_p * gs_p
                return np.concatenate([(is_n[1:] - is_n[:-1]) / h_n, (is_p[1:] - is_p[:-1]) / h_p, np.zeros(3 * NX)])
            self.Jsolid = np.column_stack([lin_s(np.eye(n)[k]) for k in range(n)])
        Jlin = self.Jsolid.copy()
        # electrolyte rows: div(-kap_e grad phi_e)
        ce_idx = np.arange(3 * NX)
        cdn = np.zeros(3 * NX); cup = np.zeros(3 * NX)
        cup[:-1] = kap_e / dnode / dx[:-1]
        cdn[1:] = kap_e / dnode / dx[1:]
        r = 2 * NX + ce_idx
        Jlin[r, r] += cup + cdn
        Jlin[r[:-1], r[:-1] + 1] -= cup[:-1]
        Jlin[r[1:], r[1:] - 1] -= cdn[1:]
        bvec = np.zeros(n)
        bvec[2 * NX - 1] = i_cc / h_p  # i_s(right edge) = i_cc
        ie_d = np.concatenate([[0.0], diff_term, [0.0]])
        bvec[2 * NX:] = (ie_d[1:] - ie_d[:-1]) / dx
        for it in range(50):
            ps_n, ps_p, pe = phi[:NX], phi[NX:2 * NX], phi[2 * NX:]
            an = 0.5 * (ps_n - pe[:NX] - Un) / RT_F
            ap = 0.5 * (ps_p - pe[2 * NX:] - Up) / RT_F
            jn = 2 * j0n * np.sinh(an)
            jp = 2 * j0p * np.sinh(ap)
            djn = j0n * np.cosh(an) / RT_F
            djp = j0p * np.cosh(ap) / RT_F
            aj = np.concatenate([a_n * jn, np.zeros(NX), a_p * jp])
            res = Jlin @ phi + bvec
            res[:NX] += a_n * jn
            res[NX:2 * NX] += a_p * jp
            res[2 * NX:] -= aj
            J = Jlin.copy()
            idx = np.arange(NX)
            J[idx, idx] += a_n * djn
            J[idx, 2 * NX + idx] -= a_n * djn
            J[NX + idx, NX + idx] += a_p * djp
            J[NX + idx, 4 * NX + idx] -= a_p * djp
            J[2 * NX + idx, idx] -= a_n * djn
            J[2 * NX + idx, 2 * NX + idx] += a_n * djn
            J[4 * NX + idx, NX + idx] -= a_p * djp
            J[4 * NX + idx, 4 * NX + idx] += a_p * djp
            dphi = np.linalg.solve(J, -res)
            phi += dphi
            if np.max(np.abs(dphi)) < 1e-12:
                break
        self.phi = phi
        ps_n, ps_p, pe = phi[:NX], phi[NX:2 * NX], phi[2 * NX:]
        eta_n, eta_p = ps_n - pe[:NX] - Un, ps_p - pe[2 * NX:] - Up
        jn = 2 * j0n * np.sinh(0.5 * eta_n / RT_F)
        jp = 2 * j0p * np.sinh(0.5 * eta_p / RT_F)
        i_e = np.zeros(3 * NX + 1)
        i_e[1:-1] = diff_term - kap_e * (pe[1:] - pe[:-1]) / dnode
        V = ps_p[-1] + 0.5 * (ps_p[-1] - ps_p[-2])
        return dict(cn=cn, cp=cp, ce=ce, T=T, jn=jn, jp=jp, eta_n=eta_n, eta_p=eta_p, i_e=i_e,
                    ps_n=ps_n, ps_p=ps_p, pe=pe, V=V, csn=csn, csp=csp, i_cc=i_cc)

    def rhs(self, t, y, I):
        f = self.fields(y, I)
        rcn = part_rhs_2d(f["cn"], Ds_n, e_n, h_n_r, vol_n, f["jn"] / F).ravel()
        rcp = part_rhs_2d(f["cp"], Ds_p, e_p, h_p_r, vol_p, f["jp"] / F).ravel()
        ce = f["ce"]
        Dt = tor_x * D_e(ce)
        Dh = 1.0 / (beta / Dt[:-1] + (1 - beta) / Dt[1:])
        N = np.zeros(3 * NX + 1)
        N[1:-1] = -Dh * (ce[1:] - ce[:-1]) / dnode + t_plus * f["i_e"][1:-1] / F
        aj = np.concatenate([a_n * f["jn"], np.zeros(NX), a_p * f["jp"]])
        rce = -(N[1:] - N[:-1]) / dx + aj / F
        dT = 0.0
        if self.thermal:
            dT = self.dTdt(f, aj)
        return np.concatenate([rcn, rcp, rce, [dT], [I / 3600.0]])

    def dTdt(self, f, aj):
        e2n = lambda v: 0.5 * (v[:-1] + v[1:])
        i_cc = f["i_cc"]
        g_pe = np.concatenate([[0.0], (f["pe"][1:] - f["pe"][:-1]) / dnode, [0.0]])
        gs_n = np.concatenate([[2 * f["ps_n"][0] / h_n], (f["ps_n"][1:] - f["ps_n"][:-1]) / h_n, [0.0]])
        gs_p = np.concatenate([[0.0], (f["ps_p"][1:] - f["ps_p"][:-1]) / h_p, [-i_cc / sig_p]])
        Q = -e2n(f["i_e"]) * e2n(g_pe)
        Q[:NX] += -e2n(-sig_n * gs_n) * e2n(gs_n)
        Q[2 * NX:] += -e2n(-sig_p * gs_p) * e2n(gs_p)
        Q[:NX] += a_n * f["jn"] * f["eta_n"]
        Q[2 * NX:] += a_p * f["jp"] * f["eta_p"]
        Q_cc = Lcn * i_cc ** 2 / P["Negative current collector conductivity [S.m-1]"] + Lcp * i_cc ** 2 / P["Positive current collector conductivity [S.m-1]"]
        Q_W = (np.dot(Q, dx) + Q_cc) * A_cc
        Q_cool = -P["Total heat transfer coefficient [W.m-2.K-1]"] * P["Cell cooling surface area [m2]"] * (f["T"] - P["Ambient temperature [K]"])
        return (Q_W + Q_cool) / Vcell / rho_cp

    def out(self, y, I):
        f = self.fields(y, I)
        return dict(V=f["V"], T=f["T"], sns=np.mean(f["csn"]) / cmax_n, sps=np.mean(f["csp"]) / cmax_p,
                    sna=np.mean([ravg(c, vol_n) for c in f["cn"]]) / cmax_n,
                    spa=np.mean([ravg(c, vol_p) for c in f["cp"]]) / cmax_p, I=I)


def run(case):
    d = json.load(open(f"{REF}/cases/{case}.json"))
    ref = np.genfromtxt(f"{REF}/cases/{case}.csv", delimiter=",", names=True)
    m = DFN(d.get("options", {}).get("thermal") == "lumped")
    y = m.y0(d["initial_sto_n"], d["initial_sto_p"])
    groups = split_ref_steps(ref["t_s"])
    res = {k: [] for k in ("V", "T", "sns", "sps", "sna", "spa")}
    t0 = 0.0
    for step, (a, b) in zip(d["steps"], groups):
        if step.startswith("Rest"):
            I, vcut = 0.0, None
            dur = float(step.split(" for ")[1].split()[0]) * {"minutes": 60, "seconds": 1, "hours": 3600}[step.split()[-1]]
        else:
            mode, I, vcut, dur = parse_step(step)
            assert mode == "I"
        ev = None
        if vcut is not None:
            ev = lambda t, y, *args: m.out(y, I)["V"] - vcut
            ev.terminal = True
        sol = solve_ivp(m.rhs, (0, dur), y, method="BDF", args=(I,), events=[ev] if ev else None,
                        rtol=1e-7, atol=1e-7 * np.maximum(np.abs(y), 1.0), dense_output=True)
        tf = sol.t[-1]
        for tl in np.minimum(ref["t_s"][a:b] - ref["t_s"][a], tf):
            o = m.out(sol.sol(tl), I)
            for k in res:
                res[k].append(o[k])
        y = sol.y[:, -1]
        t0 += tf
    err = np.array(res["V"]) - ref["V_V"]
    Terr = np.array(res["T"]) - ref["T_K"]
    names = {"sns": "sto_n_surf", "sps": "sto_p_surf", "sna": "sto_n_avg", "spa": "sto_p_avg"}
    print(f"{case:24s} DFN V RMSE = {1e3*np.sqrt(np.mean(err**2)):.4f} mV, max = {1e3*np.max(np.abs(err)):.4f} mV, "
          f"T max err = {np.max(np.abs(Terr)):.2e} K, t_end me/ref = {t0:.3f}/{ref['t_s'][-1]:.3f} s; "
          + ", ".join(f"{v} max err {np.max(np.abs(np.array(res[k]) - ref[v])):.1e}" for k, v in names.items()))


if __name__ == "__main__":
    for c in (sys.argv[1:] or ["chen2020_dfn_1C", "chen2020_dfn_lumped_2C"]):
        run(c)
