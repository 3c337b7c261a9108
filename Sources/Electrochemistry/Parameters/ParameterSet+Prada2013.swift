/// Built-in parameter set Prada2013, generated from PyBaMM 26.10.1.1 (scalars) and the papers (functions).
extension ParameterSet {
    /// A123 26650 LFP / graphite cell (2.3 Ah) of Prada et al. 2013, "A simplified electrochemical and thermal
    /// aging model of LiFePO4-graphite Li-ion batteries", J. Electrochem. Soc. 160, A616,
    /// doi:10.1149/2.053309jes, as in PyBaMM: graphite OCP of Chen et al. 2020 (doi:10.1149/1945-7111/ab9050),
    /// LFP OCP of Afshar et al. 2017 (arXiv:1709.03970) and Prada's electrolyte conductivity.
    public static let prada2013 = ParameterSet(
        name: "Prada2013",
        citations: [
            "Prada et al. 2013, J. Electrochem. Soc. 160 A616, doi:10.1149/2.053309jes",
            "Chen et al. 2020, J. Electrochem. Soc. 167 080534, doi:10.1149/1945-7111/ab9050",
            "Afshar et al. 2017, arXiv:1709.03970",
        ],
        scalars: prada2013Scalars,
        functions: [
            "Negative electrode OCP [V]": .unary("sto", "closed form, Chen et al. 2020", ClosedForms.graphiteOCPChen2020),
            "Positive electrode OCP [V]": .unary("sto", "closed form, Afshar et al. 2017", ClosedForms.lfpOCPAfshar2017),
            "Electrolyte conductivity [S.m-1]": .binary("c_e", "closed form, Prada et al. 2013",
                                                        ClosedForms.electrolyteConductivityPrada2013),
            "Negative electrode exchange-current density [A.m-2]": .exchangeCurrentDensity(
                "closed form, Chen et al. 2020",
                ClosedForms.exchangeCurrentDensity(rateConstant: 6.48e-7, activationEnergy: 35000)),
            "Positive electrode exchange-current density [A.m-2]": .exchangeCurrentDensity(
                "closed form, PyBaMM Prada2013",
                ClosedForms.exchangeCurrentDensity(rateConstant: 6e-7, activationEnergy: 39570)),
        ]
    )

    /// The 47 scalar parameters of Prada2013, by PyBaMM name with units.
    static let prada2013Scalars: [String: Double] = [
        "Ambient temperature [K]": 298.0,
        "Cation transference number": 0.36,
        "Contact resistance [Ohm]": 0.0,
        "Current function [A]": 2.3,
        "Electrode height [m]": 0.6,
        "Electrode width [m]": 0.3,
        "Electrolyte diffusivity [m2.s-1]": 2e-10,
        "Initial concentration in electrolyte [mol.m-3]": 1200.0,
        "Initial concentration in negative electrode [mol.m-3]": 24749.550000000003,
        "Initial concentration in positive electrode [mol.m-3]": 86.6628,
        "Initial temperature [K]": 298.0,
        "Lower voltage cut-off [V]": 2.0,
        "Maximum concentration in negative electrode [mol.m-3]": 30555.0,
        "Maximum concentration in positive electrode [mol.m-3]": 22806.0,
        "Negative electrode Bruggeman coefficient (electrode)": 1.5,
        "Negative electrode Bruggeman coefficient (electrolyte)": 1.5,
        "Negative electrode OCP entropic change [V.K-1]": 0.0,
        "Negative electrode active material volume fraction": 0.58,
        "Negative electrode charge transfer coefficient": 0.5,
        "Negative electrode conductivity [S.m-1]": 215.0,
        "Negative electrode double-layer capacity [F.m-2]": 0.2,
        "Negative electrode porosity": 0.36,
        "Negative electrode thickness [m]": 3.4e-05,
        "Negative particle diffusivity [m2.s-1]": 3e-15,
        "Negative particle radius [m]": 5e-06,
        "Nominal cell capacity [A.h]": 2.3,
        "Number of cells connected in series to make a battery": 1.0,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Open-circuit voltage at 0% SOC [V]": 2.0,
        "Open-circuit voltage at 100% SOC [V]": 3.6,
        "Positive electrode Bruggeman coefficient (electrode)": 1.5,
        "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,
        "Positive electrode OCP entropic change [V.K-1]": 0.0,
        "Positive electrode active material volume fraction": 0.374,
        "Positive electrode charge transfer coefficient": 0.5,
        "Positive electrode conductivity [S.m-1]": 0.33795074,
        "Positive electrode double-layer capacity [F.m-2]": 0.2,
        "Positive electrode porosity": 0.426,
        "Positive electrode thickness [m]": 8e-05,
        "Positive particle diffusivity [m2.s-1]": 5.9e-18,
        "Positive particle radius [m]": 5e-08,
        "Reference temperature [K]": 298.0,
        "Separator Bruggeman coefficient (electrolyte)": 1.5,
        "Separator porosity": 0.45,
        "Separator thickness [m]": 2.5e-05,
        "Thermodynamic factor": 1.0,
        "Upper voltage cut-off [V]": 3.6,
    ]
}
