#ifndef PULSEBMS_CBLAS_SHIM_H
#define PULSEBMS_CBLAS_SHIM_H
#include <cblas.h>

/* OpenBLAS extensions; declared in Debian's cblas.h, repeated here so the shim
   does not depend on which BLAS header variant is first on the include path. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
#endif
