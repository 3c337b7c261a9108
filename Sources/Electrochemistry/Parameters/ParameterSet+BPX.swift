#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Import of BPX 0.1 (Battery Parameter eXchange, https://bpxstandard.com) files into PyBaMM-named parameters,
/// following PyBaMM's own BPX conversion:
///
/// ```
/// ε_s = a R / 3                         (active material volume fraction from surface area per volume)
/// b = ln(transport efficiency) / ln ε   (Bruggeman exponent)
/// j0 = k F / (c_max c_e0^½) · e^(E_k/R (1/T_ref − 1/T)) · c_e^½ c_s^½ (c_max − c_s)^½
/// D(x, T) = D(x) · e^(E_D/R (1/T_ref − 1/T)),  κ_e(c, T) likewise
/// ```
///
/// Functions may be numbers, expression strings in `x` (see ``Expression``) or tables `{"x": [...], "y": [...]}`
/// (linearly interpolated). The initial stoichiometries are set from `targetSoC` between the BPX minimum and
/// maximum stoichiometries (1 = fully charged, as PyBaMM's default).
extension ParameterSet {
    /// Parses BPX JSON text; `source` names it in errors.
    public init(bpx text: String, source: String = "BPX", targetSoC: Double = 1) throws(ParameterError) {
        try self.init(bpxValue: ParameterFile.parseJSON(Array(text.utf8), source: source), source: source,
                      targetSoC: targetSoC)
    }

    /// Reads a BPX file.
    public init(bpxFile path: String, targetSoC: Double = 1) throws(ParameterError) {
        try self.init(bpxValue: ParameterFile.readJSON(path: path), source: path, targetSoC: targetSoC)
    }

    /// Builds a set from parsed BPX JSON.
    public init(bpxValue root: JSONValue, source: String, targetSoC: Double = 1) throws(ParameterError) {
        guard (0...1).contains(targetSoC) else {
            throw .outOfRange(name: "BPX target state of charge", value: targetSoC, expected: "in [0, 1]")
        }
        let reader = BPXReader(root: root, source: source)
        let cell = try reader.section("Cell")
        let electrolyte = try reader.section("Electrolyte")
        let separator = try reader.section("Separator")
        var p: [String: Double] = [:]
        var f: [String: ParameterFunction] = [:]

        let tRef = try reader.number(cell, "Reference temperature [K]")
        p["Reference temperature [K]"] = tRef
        p["Ambient temperature [K]"] = try reader.number(cell, "Ambient temperature [K]")
        p["Initial temperature [K]"] = try reader.optionalNumber(cell, "Initial temperature [K]") ?? tRef
        let lower = try reader.number(cell, "Lower voltage cut-off [V]")
        let upper = try reader.number(cell, "Upper voltage cut-off [V]")
        p["Lower voltage cut-off [V]"] = lower
        p["Upper voltage cut-off [V]"] = upper
        p["Open-circuit voltage at 0% SOC [V]"] = lower
        p["Open-circuit voltage at 100% SOC [V]"] = upper
        let capacity = try reader.number(cell, "Nominal cell capacity [A.h]")
        p["Nominal cell capacity [A.h]"] = capacity
        p["Current function [A]"] = capacity
        let area = try reader.number(cell, "Electrode area [m2]")
        p["Electrode area [m2]"] = area
        p["Electrode height [m]"] = area
        p["Electrode width [m]"] = 1
        p["Number of electrodes connected in parallel to make a cell"] =
            try reader.number(cell, "Number of electrode pairs connected in parallel to make a cell")
        p["Number of cells connected in series to make a battery"] = 1
        p["Cell volume [m3]"] = try reader.number(cell, "Volume [m3]")
        p["Cell cooling surface area [m2]"] = try reader.number(cell, "External surface area [m2]")
        if let h = try reader.optionalNumber(cell, "Heat transfer coefficient [W.m-2.K-1]") {
            p["Total heat transfer coefficient [W.m-2.K-1]"] = h
        }
        let density = try reader.number(cell, "Density [kg.m-3]")
        let heatCapacity = try reader.number(cell, "Specific heat capacity [J.K-1.kg-1]")
        let thermalConductivity = try reader.number(cell, "Thermal conductivity [W.m-1.K-1]")
        for part in ["Negative electrode", "Separator", "Positive electrode",
                     "Negative current collector", "Positive current collector"] {
            p["\(part) density [kg.m-3]"] = density
            p["\(part) specific heat capacity [J.kg-1.K-1]"] = heatCapacity
            p["\(part) thermal conductivity [W.m-1.K-1]"] = thermalConductivity
        }
        p["Contact resistance [Ohm]"] = 0

        let ce0 = try reader.number(electrolyte, "Initial concentration [mol.m-3]")
        p["Initial concentration in electrolyte [mol.m-3]"] = ce0
        p["Cation transference number"] = try reader.number(electrolyte, "Cation transference number")
        p["Thermodynamic factor"] = 1
        for (field, name) in [("Conductivity [S.m-1]", "Electrolyte conductivity [S.m-1]"),
                              ("Diffusivity [m2.s-1]", "Electrolyte diffusivity [m2.s-1]")] {
            let property = field.hasPrefix("Conductivity") ? "conductivity" : "diffusivity"
            let energyField = "\(field.hasPrefix("Conductivity") ? "Conductivity" : "Diffusivity") activation energy [J.mol-1]"
            let energy = try reader.optionalNumber(electrolyte, energyField) ?? 0
            p["Electrolyte \(property) activation energy [J.mol-1]"] = energy
            let g = try reader.function(electrolyte, field, name: name)
            f[name] = .binary("c_e", "BPX \(source)") { c, t in g(c) * PhysicalConstants.arrhenius(energy, t, reference: tRef) }
        }

        p["Separator thickness [m]"] = try reader.number(separator, "Thickness [m]")
        let separatorPorosity = try reader.number(separator, "Porosity")
        p["Separator porosity"] = separatorPorosity
        p["Separator Bruggeman coefficient (electrolyte)"] =
            log(try reader.number(separator, "Transport efficiency")) / log(separatorPorosity)

        for title in ["Negative", "Positive"] {
            let electrode = try reader.section("\(title) electrode")
            let lowered = title.lowercased()
            let radius = try reader.number(electrode, "Particle radius [m]")
            p["\(title) particle radius [m]"] = radius
            p["\(title) electrode thickness [m]"] = try reader.number(electrode, "Thickness [m]")
            let surfaceArea = try reader.number(electrode, "Surface area per unit volume [m-1]")
            p["\(title) electrode surface area to volume ratio [m-1]"] = surfaceArea
            p["\(title) electrode active material volume fraction"] = surfaceArea * radius / 3
            let porosity = try reader.number(electrode, "Porosity")
            p["\(title) electrode porosity"] = porosity
            p["\(title) electrode Bruggeman coefficient (electrolyte)"] =
                log(try reader.number(electrode, "Transport efficiency")) / log(porosity)
            p["\(title) electrode Bruggeman coefficient (electrode)"] = 0
            p["\(title) electrode conductivity [S.m-1]"] = try reader.number(electrode, "Conductivity [S.m-1]")
            p["\(title) electrode charge transfer coefficient"] = 0.5
            let cMax = try reader.number(electrode, "Maximum concentration [mol.m-3]")
            p["Maximum concentration in \(lowered) electrode [mol.m-3]"] = cMax
            let stoMin = try reader.number(electrode, "Minimum stoichiometry")
            let stoMax = try reader.number(electrode, "Maximum stoichiometry")
            p["\(title) electrode minimum stoichiometry"] = stoMin
            p["\(title) electrode maximum stoichiometry"] = stoMax
            let sto = title == "Negative" ? stoMin + targetSoC * (stoMax - stoMin) : stoMax - targetSoC * (stoMax - stoMin)
            p["Initial concentration in \(lowered) electrode [mol.m-3]"] = sto * cMax

            let ocp = try reader.function(electrode, "OCP [V]", name: "\(title) electrode OCP [V]")
            f["\(title) electrode OCP [V]"] = .unary("sto", "BPX \(source)", ocp)
            if electrode["Entropic change coefficient [V.K-1]"] != nil {
                let name = "\(title) electrode OCP entropic change [V.K-1]"
                f[name] = .unary("sto", "BPX \(source)", try reader.function(electrode, "Entropic change coefficient [V.K-1]", name: name))
            }
            let diffusivityName = "\(title) particle diffusivity [m2.s-1]"
            let diffusivity = try reader.function(electrode, "Diffusivity [m2.s-1]", name: diffusivityName)
            let diffusionEnergy = try reader.optionalNumber(electrode, "Diffusivity activation energy [J.mol-1]") ?? 0
            p["\(title) particle diffusivity activation energy [J.mol-1]"] = diffusionEnergy
            f[diffusivityName] = .binary("sto", "BPX \(source)") { x, t in
                diffusivity(x) * PhysicalConstants.arrhenius(diffusionEnergy, t, reference: tRef)
            }
            let kNorm = try reader.number(electrode, "Reaction rate constant [mol.m-2.s-1]")
            let kineticEnergy = try reader.optionalNumber(electrode, "Reaction rate constant activation energy [J.mol-1]") ?? 0
            p["\(title) electrode reaction rate constant [mol.m-2.s-1]"] = kNorm
            p["\(title) electrode exchange-current density activation energy [J.mol-1]"] = kineticEnergy
            let k = kNorm * PhysicalConstants.faraday / (cMax * ce0.squareRoot())
            f["\(title) electrode exchange-current density [A.m-2]"] = .exchangeCurrentDensity(
                "BPX \(source): k = k_norm F / (c_max c_e0^0.5)",
                ClosedForms.exchangeCurrentDensity(rateConstant: k, activationEnergy: kineticEnergy, referenceTemperature: tRef))
        }
        let header = root["Header"]
        let title = header?["Title"]?.string ?? source
        self.init(name: title, citations: ["BPX \(header?["BPX"]?.number.map { "\($0)" } ?? "?"): \(source)"],
                  scalars: p, functions: f)
    }
}
