#ifndef PULSEBMS_CHDF5_SHIM_H
#define PULSEBMS_CHDF5_SHIM_H
#include <hdf5.h>
#include <stdio.h>

/* HDF5's type and property-list identifiers are macros over library globals
   (they call H5open first); wrap the ones PulseBMS uses so Swift can see them. */
static inline hid_t pulse_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t pulse_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t pulse_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t pulse_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t pulse_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t pulse_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t pulse_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t pulse_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t pulse_h5s_all(void) { return H5S_ALL; }
static inline hsize_t pulse_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline unsigned pulse_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned pulse_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned pulse_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hid_t pulse_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t pulse_h5p_link_create(void) { return H5P_LINK_CREATE; }
/* The size of a variable-length string type. */
static inline size_t pulse_h5t_variable(void) { return H5T_VARIABLE; }

/* Turns off libhdf5's printing of error stacks to stderr (callers report errors themselves). */
static inline void pulse_h5e_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

struct pulse_h5e_buffer { char *text; size_t size; };
static inline herr_t pulse_h5e_keep_innermost(unsigned n, const H5E_error2_t *error, void *data) {
    struct pulse_h5e_buffer *buffer = (struct pulse_h5e_buffer *)data;
    if (n == 0 && error && error->desc) snprintf(buffer->text, buffer->size, "%s", error->desc);
    return 0;
}
/* Copies the most specific message of the current error stack into text (empty if none). */
static inline void pulse_h5e_innermost_message(char *text, size_t size) {
    struct pulse_h5e_buffer buffer = { text, size };
    if (size > 0) text[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, pulse_h5e_keep_innermost, &buffer);
}

/* Sets whether HDF5 flock()s the file (H5Pset_file_locking, HDF5 >= 1.10.7; a no-op before). */
static inline herr_t pulse_h5p_set_file_locking(hid_t fapl, int use_locking) {
#if H5_VERSION_GE(1, 10, 7)
    return H5Pset_file_locking(fapl, use_locking ? 1 : 0, 1);
#else
    (void)fapl; (void)use_locking; return 0;
#endif
}
#endif
