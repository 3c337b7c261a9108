#!/usr/bin/env python3
"""
DFN (+lumped) time integration of the plan's equations on the full semi-explicit DAE
(862/863 differential + 100 algebraic unknowns): BDF2 (first step implicit Euler),
fixed dt, modified Newton with a sparse finite-difference Jacobian (column colouring)
and scipy splu. Events located by linear interpolation of V between steps.
Usage: python3 docs/validation/dfn_bdf2.py [dt] [case ...]
"""
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

exec(open(__import__("os").path.join(__import__("os").path.dirname(__file__), "dfn_integrate.py")).read().split("class DFN")[0])

NP = NX * NR
ND_iso = 2 * NP + 3 * NX + 1  # + discharge capacity


class FullDFN:
    def __init__(self, thermal):
        self.thermal = thermal
        self.nd = ND_iso + (1 if thermal else 0)
        self.n = self.nd + 100

    def unpack(self, z):
        cn = z[:NP].reshape(NX, NR)
        cp = z[NP:2 * NP].reshape(NX, NR)
        ce = z[2 * NP:2 * NP + 3 * NX] / eps_x
        k = 2 * NP + 3 * NX + 1
        T = z[k] if self.thermal else P["Ambient temperature [K]"]
        phi = z[self.nd:]
        return cn, cp, ce, T, phi[:NX], phi[NX:2 * NX], phi[2 * NX:]

    def f_g(self, z, I):
        cn, cp, ce, T, ps_n, ps_p, pe = self.unpack(z)
        RT_F = Rg * T / F
        i_cc = I / A_cc
        csn = cn[:, -1] + 0.5 * (cn[:, -1] - cn[:, -2])
        csp = cp[:, -1] + 0.5 * (cp[:, -1] - cp[:, -2])
        eta_n = ps_n - pe[:NX] - U_n(csn / cmax_n)
        eta_p = ps_p - pe[2 * NX:] - U_p(csp / cmax_p)
        jn = 2 * j0(K_N, E_N, ce[:NX], csn, cmax_n, T) * np.sinh(0.5 * eta_n / RT_F)
        jp = 2 * j0(K_P, E_P, ce[2 * NX:], csp, cmax_p, T) * np.sinh(0.5 * eta_p / RT_F)
        aj = np.concatenate([a_n * jn, np.zeros(NX), a_p * jp])
        kap_node = kappa_e(ce) * tor_x
        kap_e = (1 - w_x) * kap_node[:-1] + w_x * kap_node[1:]
        q = RT_F * chi / np.maximum(ce, 1e-2)
        q_e = 1.0 / (beta / q[:-1] + (1 - beta) / q[1:])
        gc = (ce[1:] - ce[:-1]) / dnode
        gpe = (pe[1:] - pe[:-1]) / dnode
        i_e = np.zeros(3 * NX + 1)
        i_e[1:-1] = kap_e * (q_e * gc - gpe)
        Dt = tor_x * D_e(ce)
        Dh = 1.0 / (beta / Dt[:-1] + (1 - beta) / Dt[1:])
        N = np.zeros(3 * NX + 1)
        N[1:-1] = -Dh * gc + t_plus * i_e[1:-1] / F
        gs_n = np.concatenate([[2 * ps_n[0] / h_n], (ps_n[1:] - ps_n[:-1]) / h_n, [0.0]])
        gs_p = np.concatenate([[0.0], (ps_p[1:] - ps_p[:-1]) / h_p, [-i_cc / sig_p]])
        is_n, is_p = -sig_n * gs_n, -sig_p * gs_p
        f = [part_rhs_2d(cn, Ds_n, e_n, h_n_r, vol_n, jn / F).ravel(),
             part_rhs_2d(cp, Ds_p, e_p, h_p_r, vol_p, jp / F).ravel(),
             -(N[1:] - N[:-1]) / dx + aj / F, [I / 3600.0]]
        if self.thermal:
            e2n = lambda v: 0.5 * (v[:-1] + v[1:])
            Q = -e2n(i_e) * e2n(np.concatenate([[0.0], gpe, [0.0]]))
            Q[:NX] += -e2n(is_n) * e2n(gs_n) + a_n * jn * eta_n
            Q[2 * NX:] += -e2n(is_p) * e2n(gs_p) + a_p * jp * eta_p
            Q_cc = Lcn * i_cc ** 2 / P["Negative current collector conductivity [S.m-1]"] + Lcp * i_cc ** 2 / P["Positive current collector conductivity [S.m-1]"]
            Qc = -P["Total heat transfer coefficient [W.m-2.K-1]"] * P["Cell cooling surface area [m2]"] * (T - P["Ambient temperature [K]"])
            f.append([((np.dot(Q, dx) + Q_cc) * A_cc + Qc) / Vcell / rho_cp])
        g = np.concatenate([(is_n[1:] - is_n[:-1]) / h_n + a_n * jn,
                            (is_p[1:] - is_p[:-1]) / h_p + a_p * jp,
                            (i_e[1:] - i_e[:-1]) / dx - aj])
        V = ps_p[-1] + 0.5 * (ps_p[-1] - ps_p[-2])
        return np.concatenate(f), g, V, csn, csp

    def outputs(self, z, I):
        cn, cp, ce, T, *_ = self.unpack(z)
        _, _, V, csn, csp = self.f_g(z, I)
        return dict(V=V, T=T, sns=np.mean(csn) / cmax_n, sps=np.mean(csp) / cmax_p,
                    sna=np.mean(cn @ vol_n) / vol_n.sum() / cmax_n, spa=np.mean(cp @ vol_p) / vol_p.sum() / cmax_p)


def sparsity(m, z, I):
    """Dependency pattern of (f, g) on z from a dense FD sweep at one state (done once)."""
    f0, g0, *_ = m.f_g(z, I)
    r0 = np.concatenate([f0, g0])
    rows, cols = [], []
    for k in range(m.n):
        zz = z.copy()
        zz[k] += 1e-6 * max(abs(z[k]), 1.0)
        f1, g1, *_ = m.f_g(zz, I)
        nz = np.nonzero(np.concatenate([f1, g1]) - r0)[0]
        rows += list(nz); cols += [k] * len(nz)
    rows += list(range(m.nd)); cols += list(range(m.nd))  # a0*I on the differential block
    S = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(m.n, m.n))
    S.data[:] = 1.0
    # greedy column colouring
    colors = -np.ones(m.n, int)
    Sr = S.tocsr()
    for k in range(m.n):
        forbidden = set()
        for r in S.indices[S.indptr[k]:S.indptr[k + 1]]:
            for c in Sr.indices[Sr.indptr[r]:Sr.indptr[r + 1]]:
                if colors[c] >= 0:
                    forbidden.add(colors[c])
        c = 0
        while c in forbidden:
            c += 1
        colors[k] = c
    return S, colors


def residual(m, z, I, a0, hist):
    """BDF residual: a0*y - hist - f (differential), g (algebraic)."""
    f, g, *_ = m.f_g(z, I)
    return np.concatenate([a0 * z[:m.nd] - hist - f, g])


def jacobian(m, z, I, a0, hist, S, colors):
    r0 = residual(m, z, I, a0, hist)
    dz = 1e-7 * np.maximum(np.abs(z), 1.0)
    data = np.zeros(S.nnz)
    Sc = S.tocsc()
    for c in range(colors.max() + 1):
        cols = np.nonzero(colors == c)[0]
        zz = z.copy(); zz[cols] += dz[cols]
        dr = residual(m, zz, I, a0, hist) - r0
        for k in cols:
            lo, hi = Sc.indptr[k], Sc.indptr[k + 1]
            data[lo:hi] = dr[Sc.indices[lo:hi]] / dz[k]
    return splu(sp.csc_matrix((data, Sc.indices, Sc.indptr), shape=S.shape))


def consistent(m, z, I, S, colors):
    """Solve g(y, z_alg) = 0 for the potentials with y fixed (Newton on the algebraic block)."""
    for it in range(30):
        f, g, *_ = m.f_g(z, I)
        if np.max(np.abs(g)) < 1e-6 and it > 0:
            break
        # use the full Jacobian's algebraic block via a solve with frozen differential part
        rhs = np.concatenate([np.zeros(m.nd), -g])
        # freeze y: replace differential rows by identity through a0 -> huge
        Jy = jacobian(m, z, I, 1e12, z[:m.nd] * 1e12 - f * 0, S, colors)
        dz = Jy.solve(rhs)
        z = z + dz
    return z


def run(case, dt):
    d = json.load(open(f"{REF}/cases/{case}.json"))
    ref = np.genfromtxt(f"{REF}/cases/{case}.csv", delimiter=",", names=True)
    m = FullDFN(d.get("options", {}).get("thermal") == "lumped")
    Un0 = U_n(np.array(d["initial_sto_n"])); Up0 = U_p(np.array(d["initial_sto_p"]))
    z = np.concatenate([np.full(NP, d["initial_sto_n"] * cmax_n), np.full(NP, d["initial_sto_p"] * cmax_p), eps_x * c_e0, [0.0]]
                       + ([[P["Initial temperature [K]"]]] if m.thermal else [])
                       + [np.zeros(NX), np.full(NX, Up0 - Un0), np.full(3 * NX, -Un0)])
    t0 = time.time()
    S, colors = sparsity(m, z, 5.0)
    groups = split_ref_steps(ref["t_s"])
    res = {k: [] for k in ("V", "T", "sns", "sps", "sna", "spa")}
    t_end = 0.0
    for step, (a, b) in zip(d["steps"], groups):
        if step.startswith("Rest"):
            I, vcut = 0.0, None
            dur = float(step.split(" for ")[1].split()[0]) * {"minutes": 60, "seconds": 1, "hours": 3600}[step.split()[-1]]
        else:
            mode, I, vcut, dur = parse_step(step)
        z = consistent(m, z, I, S, colors)
        ts, zs = [0.0], [z.copy()]
        zprev = None
        t = 0.0
        lu = None
        lukey = None
        nsteps_since = 0
        while t < dur - 1e-9:
            h = min(dt, dur - t)
            if zprev is None or abs(h - dt) > 1e-12:
                a0, hist = 1.0 / h, z[:m.nd] / h  # implicit Euler
                order = 1
            else:
                a0, hist = 1.5 / h, (2 * z[:m.nd] - 0.5 * zprev[:m.nd]) / h
                order = 2
            zn = z.copy() if zprev is None else (2 * z - zprev)
            key = (order, h)
            if lu is None or lukey != key or nsteps_since > 40:
                lu = jacobian(m, zn, I, a0, hist, S, colors); lukey = key; nsteps_since = 0
            for it in range(20):
                r = residual(m, zn, I, a0, hist)
                dzn = lu.solve(-r)
                zn += dzn
                if np.max(np.abs(dzn[:m.nd]) / (1e-8 * np.maximum(np.abs(zn[:m.nd]), 1.0))) < 1 and np.max(np.abs(dzn[m.nd:])) < 1e-9:
                    break
            else:
                lu = jacobian(m, zn, I, a0, hist, S, colors); lukey = key
            nsteps_since += 1
            zprev, z = z, zn
            t += h
            ts.append(t); zs.append(z.copy())
            if vcut is not None and m.f_g(z, I)[2] < vcut:
                break
        Vs = np.array([m.f_g(zz, I)[2] for zz in zs])
        if vcut is not None and Vs[-1] < vcut:
            k = len(Vs) - 1
            tev = ts[k - 1] + (Vs[k - 1] - vcut) / (Vs[k - 1] - Vs[k]) * (ts[k] - ts[k - 1])
            ts[-1] = tev
            wgt = (tev - ts[k - 1]) / h
            zs[-1] = zs[k - 1] + wgt * (zs[k] - zs[k - 1])
            z = zs[-1]
        tsa = np.array(ts)
        for tl in np.minimum(ref["t_s"][a:b] - ref["t_s"][a], tsa[-1]):
            k = min(np.searchsorted(tsa, tl), len(tsa) - 1)
            if k > 0 and tsa[k] != tl:
                wgt = (tl - tsa[k - 1]) / (tsa[k] - tsa[k - 1])
                zz = zs[k - 1] + wgt * (zs[k] - zs[k - 1])
            else:
                zz = zs[k]
            o = m.outputs(zz, I)
            for kk in res:
                res[kk].append(o[kk])
        t_end += tsa[-1]
    err = np.array(res["V"]) - ref["V_V"]
    Terr = np.array(res["T"]) - ref["T_K"]
    names = {"sns": "sto_n_surf", "sps": "sto_p_surf", "sna": "sto_n_avg", "spa": "sto_p_avg"}
    print(f"{case:24s} DFN dt={dt:g}s  V RMSE = {1e3*np.sqrt(np.mean(err**2)):.4f} mV, max = {1e3*np.max(np.abs(err)):.4f} mV, "
          f"V(0) err = {1e3*err[0]:+.5f} mV, T max err = {np.max(np.abs(Terr)):.2e} K, t_end me/ref = {t_end:.2f}/{ref['t_s'][-1]:.2f} s, "
          + ", ".join(f"{v} {np.max(np.abs(np.array(res[k]) - ref[v])):.1e}" for k, v in names.items())
          + f"  [{time.time()-t0:.0f} s wall]")


if __name__ == "__main__":
    args = sys.argv[1:]
    dt = float(args[0]) if args and args[0].replace(".", "").isdigit() else 1.0
    cases = [a for a in args if not a.replace(".", "").isdigit()] or ["chen2020_dfn_1C", "chen2020_dfn_lumped_2C"]
    for c in cases:
        run(c, dt)
