import CBLAS

/// Control over OpenBLAS's worker threads.
///
/// The small matrices of RL (a few hundred rows) run fastest on one thread; large
/// batches may gain from two. Set it once at start-up, before any BLAS call runs on
/// another thread: OpenBLAS keeps this as process-wide state.
public enum OpenBLAS {
    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            checkPrecondition(newValue >= 1, "OpenBLAS.threadCount must be at least 1, got \(newValue)")
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// OpenBLAS's build configuration string (version, kernel, threading model).
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    /// Runs `body` with OpenBLAS set to `threads`, restoring the previous count after.
    public static func withThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        let previous = threadCount
        threadCount = threads
        defer { threadCount = previous }
        return try body()
    }
}
