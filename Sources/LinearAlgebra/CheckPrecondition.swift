/// Traps with `message` when `condition` is false, in every build configuration.
///
/// Swift's `precondition` drops its message in optimised builds, and PulseBMS runs
/// in release mode: a shape mismatch must still say which shapes. Use this for
/// programmer errors whose message matters.
@inlinable @inline(__always)
public func checkPrecondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                              file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) { preconditionViolated(message(), file: file, line: line) }
}

/// The cold path of `checkPrecondition`.
@inline(never)
public func preconditionViolated(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
