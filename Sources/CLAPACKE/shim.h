#ifndef PULSEBMS_CLAPACKE_SHIM_H
#define PULSEBMS_CLAPACKE_SHIM_H
#include <lapacke.h>

/* LAPACK_ROW_MAJOR / LAPACK_COL_MAJOR are macros and do not import into Swift. */
static inline int pulse_lapack_row_major(void) { return LAPACK_ROW_MAJOR; }
static inline int pulse_lapack_col_major(void) { return LAPACK_COL_MAJOR; }
#endif
