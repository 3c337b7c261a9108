/// Checks that the parameters a model needs are present, finite and physically sensible.
extension ParameterSet {
    /// The model family whose parameters ``validate(for:lumpedThermal:)`` checks.
    public enum ModelFamily: String, Sendable, CaseIterable {
        /// Single particle model: particles, kinetics and OCPs.
        case spm
        /// SPM with electrolyte: adds electrolyte transport.
        case spme
        /// Doyle–Fuller–Newman (P2D): adds solid-phase conductivity.
        case dfn
    }

    /// Validates the parameters `model` needs (and the lumped-thermal ones if `lumpedThermal`), throwing the
    /// first ``ParameterError`` found: ``ParameterError/missing(name:)``,
    /// ``ParameterError/nonFinite(name:value:)`` or ``ParameterError/outOfRange(name:value:expected:)``.
    public func validate(for model: ModelFamily = .dfn, lumpedThermal: Bool = false) throws(ParameterError) {
        let positive = 0.0.nextUp...Double.greatestFiniteMagnitude
        let fraction = 0.0.nextUp...1.0
        func requirePositive(_ name: String) throws(ParameterError) {
            _ = try scalar(name, in: positive, expected: "> 0")
        }
        func requireFraction(_ name: String) throws(ParameterError) {
            _ = try scalar(name, in: fraction, expected: "in (0, 1]")
        }

        for name in ["Negative electrode thickness [m]", "Separator thickness [m]", "Positive electrode thickness [m]",
                     "Negative particle radius [m]", "Positive particle radius [m]",
                     "Electrode height [m]", "Electrode width [m]", "Nominal cell capacity [A.h]",
                     "Maximum concentration in negative electrode [mol.m-3]",
                     "Maximum concentration in positive electrode [mol.m-3]",
                     "Initial concentration in electrolyte [mol.m-3]"] {
            try requirePositive(name)
        }
        for name in ["Negative electrode active material volume fraction", "Positive electrode active material volume fraction",
                     "Negative electrode porosity", "Separator porosity", "Positive electrode porosity"] {
            try requireFraction(name)
        }
        for electrode in ["negative", "positive"] {
            let title = electrode == "negative" ? "Negative" : "Positive"
            let cMax = try scalar("Maximum concentration in \(electrode) electrode [mol.m-3]")
            let initial = "Initial concentration in \(electrode) electrode [mol.m-3]"
            if contains(initial) { _ = try scalar(initial, in: 0...cMax, expected: "in [0, c_max = \(cMax)]") }
            let solid = try scalar("\(title) electrode active material volume fraction")
            let porosity = try scalar("\(title) electrode porosity")
            if solid + porosity > 1 + 1e-9 {
                throw .outOfRange(name: "\(title) electrode active material volume fraction", value: solid,
                                  expected: "≤ 1 − porosity = \(1 - porosity)")
            }
            try checkFunction("\(title) electrode OCP [V]", at: [0.5], range: -1...10, expected: "in [-1, 10] V at sto = 0.5")
            let ce = try scalar("Initial concentration in electrolyte [mol.m-3]")
            let t = try scalar("Reference temperature [K]", default: 298.15)
            try checkFunction("\(title) electrode exchange-current density [A.m-2]", at: [ce, cMax / 2, cMax, t],
                              range: positive, expected: "> 0 at sto = 0.5")
            try checkFunction("\(title) particle diffusivity [m2.s-1]", at: [0.5, t], range: positive, expected: "> 0")
            if model == .dfn { try requirePositive("\(title) electrode conductivity [S.m-1]") }
            if model != .spm {
                let bruggeman = "\(title) electrode Bruggeman coefficient (electrolyte)"
                _ = try scalar(bruggeman, in: 0...10, expected: "in [0, 10]")
            }
        }
        for name in ["Reference temperature [K]", "Ambient temperature [K]", "Initial temperature [K]"] where contains(name) {
            _ = try scalar(name, in: 150...500, expected: "in [150, 500] K")
        }
        let lower = try scalar("Lower voltage cut-off [V]", in: 0...10, expected: "in [0, 10] V")
        let upper = try scalar("Upper voltage cut-off [V]", in: 0...10, expected: "in [0, 10] V")
        if upper <= lower {
            throw .outOfRange(name: "Upper voltage cut-off [V]", value: upper, expected: "> lower cut-off \(lower) V")
        }
        if contains("Number of electrodes connected in parallel to make a cell") {
            _ = try scalar("Number of electrodes connected in parallel to make a cell", in: 1...1e6, expected: "≥ 1")
        }
        if model != .spm {
            _ = try scalar("Cation transference number", in: 0.0.nextUp...1.0.nextDown, expected: "in (0, 1)")
            _ = try scalar("Separator Bruggeman coefficient (electrolyte)", in: 0...10, expected: "in [0, 10]")
            let ce = try scalar("Initial concentration in electrolyte [mol.m-3]")
            let t = try scalar("Reference temperature [K]", default: 298.15)
            try checkFunction("Electrolyte diffusivity [m2.s-1]", at: [ce, t], range: positive, expected: "> 0")
            try checkFunction("Electrolyte conductivity [S.m-1]", at: [ce, t], range: positive, expected: "> 0")
        }
        if lumpedThermal {
            _ = try scalar("Total heat transfer coefficient [W.m-2.K-1]", in: 0...1e6, expected: "≥ 0")
            try requirePositive("Cell volume [m3]")
            try requirePositive("Cell cooling surface area [m2]")
            for part in ["Negative electrode", "Separator", "Positive electrode"] {
                try requirePositive("\(part) density [kg.m-3]")
                try requirePositive("\(part) specific heat capacity [J.kg-1.K-1]")
            }
        }
    }

    /// Evaluates the function (or constant) `name` at `arguments` and checks the result.
    private func checkFunction(_ name: String, at arguments: [Double], range: ClosedRange<Double>,
                               expected: String) throws(ParameterError) {
        let value: Double
        if functions[name] == nil {
            value = try scalar(name)
        } else {
            let function = try function(name)
            guard function.arity == arguments.count else {
                throw .wrongKind(name: name, expected: "a function of \(arguments.count) arguments, found \(function.arity)")
            }
            value = function.evaluate(arguments)
        }
        guard value.isFinite else { throw .nonFinite(name: name, value: value) }
        guard range.contains(value) else { throw .outOfRange(name: name, value: value, expected: expected) }
    }
}
