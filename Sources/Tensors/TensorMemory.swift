import CTensorSupport
import LinearAlgebra

/// Process-wide allocator settings for training loops.
///
/// Tensors are short-lived buffers of a few kilobytes to a few megabytes. With glibc's
/// defaults, buffers over 128 KiB are `mmap`ed and unmapped on every free, and the heap
/// top is trimmed back to the kernel, so each new tensor pays page faults on first
/// touch — half of a CPO update at batch 2048 in the `tensors` benchmark. Raising the
/// thresholds keeps freed memory in the heap for reuse, as PyTorch's caching
/// allocators do. Call it once, early, from an executable (train, bench); a library
/// should not change its host's allocator.
public enum TensorMemory {
    /// Keeps freed memory in the heap: blocks up to 32 MiB (glibc's maximum) come from the heap rather
    /// than `mmap`, and up to `megabytes` of free heap top is kept. Returns whether the
    /// C library accepted the settings (glibc does; elsewhere it is a no-op).
    @discardableResult
    public static func retainFreedMemory(megabytes: Int = 256) -> Bool {
        checkPrecondition(megabytes > 0 && megabytes < 2048, "TensorMemory: megabytes must be in 1..<2048, got \(megabytes)")
        return pulse_retain_freed_memory(Swift.min(megabytes, 32) << 20, megabytes << 20) == 1
    }
}
