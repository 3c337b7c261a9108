#ifndef PULSEBMS_TENSOR_SUPPORT_H
#define PULSEBMS_TENSOR_SUPPORT_H
#include <stddef.h>

/* Single-precision exp and tanh over arrays, branch-free so the compiler vectorises
   them, with a runtime choice of an AVX2+FMA build where the CPU has it (as OpenBLAS
   chooses its kernels). x and y may be the same array, but must not otherwise overlap.

   exp: Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, degree-7 Taylor polynomial,
   2^n assembled in the exponent bits in two halves; inputs clamped to [-87.3, 88.7].
   Relative error about 2 ulp.
   tanh: sign(x) (1 - 2 / (exp(2|x|) + 1)), |x| clamped to 10; absolute error about 1e-7.
   NaN propagates through both. */
void pulse_vexpf(const float *x, float *y, size_t n);
void pulse_vtanhf(const float *x, float *y, size_t n);

/* One Adam update (Kingma & Ba 2015) over n parameters, in place, with the scalars
   precomputed by the caller:
     m = beta1 m + c1 g,  v = beta2 v + c2 g^2,
     p -= step_size m / (sqrt(v) inv_sqrt_bias2 + eps).
   c1 and c2 fold in gradient clipping: c1 = (1 - beta1) clip, c2 = (1 - beta2) clip^2.
   The four arrays must not overlap. */
void pulse_adam_updatef(float *p, const float *g, float *m, float *v, size_t n,
                        float beta1, float beta2, float c1, float c2,
                        float step_size, float inv_sqrt_bias2, float eps);

#endif

#ifndef PULSEBMS_TENSOR_SUPPORT_ALLOC
#define PULSEBMS_TENSOR_SUPPORT_ALLOC
/* Raises glibc's mmap and trim thresholds so freed tensor buffers stay in the heap
   (mallopt M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, and M_TOP_PAD = the mmap threshold). Returns 1 on success, 0 where
   unsupported or refused. */
int pulse_retain_freed_memory(size_t mmap_threshold_bytes, size_t trim_threshold_bytes);
#endif
