import numpy as np, json
from scipy.optimize import brentq
F=96485.33212; R=8.314462618
def asym0(s):
    a=205.0568621937484; b=6910.192179565431; c=-7.7e-4
    mse=np.log(2.0/np.finfo(float).eps); lim=c-mse/b
    return a*(np.log1p(np.exp(-b*(max(lim,s)-c))) - b*min(0,s-lim))
def asym(s): return asym0(s)-asym0(1-s)
def clip(s,tol=1e-10): return min(max(s,tol),1-tol)
def Un(s):
    x=clip(s); return (1.9793*np.exp(-39.3631*x)+0.2482-0.0909*np.tanh(29.8538*(x-0.1234))-0.04478*np.tanh(14.9159*(x-0.2769))-0.0205*np.tanh(30.4444*(x-0.6103)))+asym(s)
def Up(s):
    x=clip(s); return (-0.8090*x+4.4875-0.0428*np.tanh(18.5138*(x-0.5542))-17.7326*np.tanh(15.7890*(x-0.3117))+17.5842*np.tanh(15.9308*(x-0.3120)))+asym(s)
P=json.load(open('/work/shared/reference/pybamm/parameters/Chen2020.json'))['scalars']
A=P['Electrode width [m]']*P['Electrode height [m]']*P['Number of electrodes connected in parallel to make a cell']
Qn=P['Negative electrode active material volume fraction']*P['Negative electrode thickness [m]']*P['Maximum concentration in negative electrode [mol.m-3]']*F/3600*A
Qp=P['Positive electrode active material volume fraction']*P['Positive electrode thickness [m]']*P['Maximum concentration in positive electrode [mol.m-3]']*F/3600*A
QLi=(P['Negative electrode active material volume fraction']*P['Negative electrode thickness [m]']*P['Initial concentration in negative electrode [mol.m-3]']+P['Positive electrode active material volume fraction']*P['Positive electrode thickness [m]']*P['Initial concentration in positive electrode [mol.m-3]'])*F/3600*A
Vmax=P['Open-circuit voltage at 100% SOC [V]']; Vmin=P['Open-circuit voltage at 0% SOC [V]']
y100f=lambda x:(QLi-x*Qn)/Qp
x100=brentq(lambda x: Up(y100f(x))-Un(x)-Vmax, 1e-6, min(1-1e-6,(QLi-1e-6*Qp)/Qn), xtol=1e-15)
y100=y100f(x100)
def f0(x0):
    y0=y100+Qn*(x100-x0)/Qp; return Up(y0)-Un(x0)-Vmin
x0lo=max(1e-6,(QLi-(1-1e-6)*Qp)/Qn)
x0=brentq(f0, x0lo, x100-1e-9, xtol=1e-15)
y0=y100+Qn*(x100-x0)/Qp
print('Qn',Qn,'Qp',Qp,'QLi',QLi)
print('x0',x0,'x100',x100,'y100',y100,'y0',y0, 'Q', Qn*(x100-x0))
for soc,case in [(0.2,'chen2020_dfn_cccv'),(0.7,'chen2020_spme_dynamic'),(0.9,'chen2020_spme_power')]:
    d=json.load(open(f'/work/shared/reference/pybamm/cases/{case}.json'))
    x=x0+soc*(x100-x0); y=y0-soc*(y0-y100)
    print(case, soc, x, d['initial_sto_n'], x-d['initial_sto_n'], y, d['initial_sto_p'], y-d['initial_sto_p'])
