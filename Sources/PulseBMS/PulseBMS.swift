/// PulseBMS: safe reinforcement learning for fleets of second-life batteries.
///
/// `import PulseBMS` brings in every public module; import a module by name to depend
/// on less. The module map is in docs/architecture.md.
@_exported import SeededRandom
@_exported import LinearAlgebra
@_exported import Tensors
@_exported import NeuralNetworks
@_exported import Electrochemistry
@_exported import Control
@_exported import Gym
@_exported import BatteryGym
@_exported import SafeRL
@_exported import RunLog
@_exported import PolicyFormat
@_exported import FleetProtocol
@_exported import MQTT
@_exported import Coordinator
@_exported import EdgeAgent
