// swift-tools-version: 6.0
import PackageDescription

/// PulseBMS: safe reinforcement learning for fleets of second-life batteries.
/// The module map and the allowed dependency directions are in docs/architecture.md.
/// Release builds optimise across modules, so that generic `Tensor<Float>` code from
/// Tensors and NeuralNetworks is specialised and inlined into its callers, and skip the run-time
/// exclusivity checks of the numeric modules (as the standard library does), which cost an eighth of a
/// fleet-environment step (`bench env`); debug builds, and so the debug test runs, keep them.
let numeric: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"],
                                            .when(configuration: .release))]

let package = Package(
    name: "PulseBMS",
    products: [
        .library(name: "PulseBMS", targets: ["PulseBMS"]),
        .executable(name: "train", targets: ["train"]),
        .executable(name: "pulse", targets: ["pulse"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System-library shims: each is imported by its one wrapper module only.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto",
                       providers: [.apt(["libmosquitto-dev"])]),

        // C support for Tensors only: vectorised float kernels (run-time AVX2 dispatch), allocator settings.
        .target(name: "CTensorSupport", cSettings: [.unsafeFlags(["-fno-math-errno"])]),
        .target(name: "SeededRandom", swiftSettings: numeric),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE"], swiftSettings: numeric),
        .target(name: "Tensors", dependencies: ["LinearAlgebra", "SeededRandom", "CTensorSupport"], swiftSettings: numeric),
        .target(name: "NeuralNetworks", dependencies: ["Tensors", "LinearAlgebra", "SeededRandom"], swiftSettings: numeric),
        .target(name: "Electrochemistry", dependencies: ["LinearAlgebra", "SeededRandom"], swiftSettings: numeric),
        .target(name: "Control", dependencies: ["LinearAlgebra", "Electrochemistry"], swiftSettings: numeric),
        .target(name: "Gym", dependencies: ["SeededRandom"], swiftSettings: numeric),
        .target(name: "BatteryGym", dependencies: ["Gym", "Electrochemistry", "Control", "SeededRandom"], swiftSettings: numeric),
        .target(name: "SafeRL", dependencies: ["Gym", "NeuralNetworks", "Tensors", "SeededRandom"], swiftSettings: numeric),
        .target(name: "RunLog", dependencies: ["CHDF5"]),
        .target(name: "EdgeRuntime", path: "Sources/EdgeRuntime", cSettings: [.unsafeFlags(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"])]),
        .target(name: "PolicyFormat", dependencies: ["NeuralNetworks", "Tensors", "EdgeRuntime"]),
        .target(name: "FleetProtocol"),
        .target(name: "MQTT", dependencies: ["CMosquitto"]),
        .target(name: "Coordinator", dependencies: ["MQTT", "FleetProtocol", "Control", "PolicyFormat", "RunLog", "SeededRandom"]),
        .target(name: "EdgeAgent", dependencies: ["MQTT", "FleetProtocol", "PolicyFormat", "Electrochemistry"]),
        .target(name: "PulseBMS", dependencies: ["SeededRandom", "LinearAlgebra", "Tensors", "NeuralNetworks", "Electrochemistry", "Control", "Gym", "BatteryGym", "SafeRL", "RunLog", "PolicyFormat", "FleetProtocol", "MQTT", "Coordinator", "EdgeAgent"]),

        .executableTarget(name: "train", dependencies: [
            "PulseBMS", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "pulse", dependencies: [
            "PulseBMS", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "bench", dependencies: [
            "PulseBMS", "EdgeRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/bench"),

        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks"]),
        .testTarget(name: "ElectrochemistryTests", dependencies: ["Electrochemistry"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "LinearAlgebra", "SeededRandom"]),
        .testTarget(name: "GymTests", dependencies: ["Gym"]),
        .testTarget(name: "BatteryGymTests", dependencies: ["BatteryGym", "Gym", "Electrochemistry", "Control"]),
        .testTarget(name: "SafeRLTests", dependencies: ["SafeRL", "Gym", "BatteryGym", "NeuralNetworks", "SeededRandom"]),
        .testTarget(name: "RunLogTests", dependencies: ["RunLog"]),
        .testTarget(name: "EdgeRuntimeTests", dependencies: ["EdgeRuntime", "Electrochemistry", "SeededRandom"]),
        .testTarget(name: "PolicyFormatTests", dependencies: ["PolicyFormat", "EdgeRuntime", "NeuralNetworks", "Tensors", "SeededRandom"]),
        .testTarget(name: "FleetProtocolTests", dependencies: ["FleetProtocol"]),
        .testTarget(name: "MQTTTests", dependencies: ["MQTT"]),
        .testTarget(name: "CoordinatorTests", dependencies: ["Coordinator", "MQTT", "FleetProtocol", "Control", "PolicyFormat",
                                                            "RunLog", "NeuralNetworks", "BatteryGym", "Electrochemistry", "SeededRandom"]),
        .testTarget(name: "EdgeAgentTests", dependencies: ["EdgeAgent", "MQTT", "FleetProtocol", "PolicyFormat", "Electrochemistry"]),
        .testTarget(name: "DeploymentTests", dependencies: ["Coordinator", "EdgeAgent", "MQTT", "FleetProtocol"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CBLAS", "CLAPACKE", "CHDF5", "CMosquitto", "RunLog"]),
    ]
)
