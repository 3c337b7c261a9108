#include "tensor_support.h"
#include <limits.h>
#include <stdlib.h> /* defines __GLIBC__ through features.h */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int pulse_retain_freed_memory(size_t mmap_threshold_bytes, size_t trim_threshold_bytes) {
#if defined(__GLIBC__)
    if (mmap_threshold_bytes > INT_MAX || trim_threshold_bytes > INT_MAX) return 0;
    /* glibc refuses mmap thresholds above 32 MiB on 64-bit systems. The top pad makes
       each heap extension large enough for a whole batch of tensors at once. */
    const int mmap_ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold_bytes) == 1;
    const int trim_ok = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold_bytes) == 1;
    const int pad_ok = mallopt(M_TOP_PAD, (int)mmap_threshold_bytes) == 1;
    return mmap_ok && trim_ok && pad_ok;
#else
    (void)mmap_threshold_bytes; (void)trim_threshold_bytes;
    return 0;
#endif
}
