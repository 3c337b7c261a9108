/* Status codes of the PulseBMS edge runtime (C99, no allocation, no globals, no I/O). */
#ifndef PE_STATUS_H
#define PE_STATUS_H

/** The result of every runtime call that can fail; PE_OK is zero. */
typedef enum pe_status {
    PE_OK = 0,
    PE_ERR_NULL_ARGUMENT = 1,        /* a required pointer argument is NULL */
    PE_ERR_ALIGNMENT = 2,            /* the file bytes or the arena are not 4-byte aligned */
    PE_ERR_UNSUPPORTED_HOST = 3,     /* the host is not little-endian with IEEE-754 binary32 floats */
    PE_ERR_TRUNCATED = 4,            /* fewer bytes than the header, or than the header's file length */
    PE_ERR_BAD_MAGIC = 5,            /* the first four bytes are not "PBPF" */
    PE_ERR_UNSUPPORTED_VERSION = 6,  /* a format version this runtime does not read */
    PE_ERR_BAD_HEADER = 7,           /* header length, flags, reserved bytes or file length inconsistent */
    PE_ERR_CHECKSUM = 8,             /* the CRC-32 does not match the bytes before it */
    PE_ERR_BAD_SECTION_TABLE = 9,    /* a section out of bounds, misaligned, overlapping or repeated */
    PE_ERR_UNKNOWN_REQUIRED_SECTION = 10, /* a section marked required whose type this runtime does not know */
    PE_ERR_MISSING_SECTION = 11,     /* normalisation, layers or action section absent */
    PE_ERR_BAD_SECTION_LENGTH = 12,  /* a section's length differs from what its counts imply */
    PE_ERR_BAD_DIMENSION = 13,       /* a count or width of zero, above the limits, or not chaining */
    PE_ERR_BAD_VALUE = 14,           /* a non-finite or out-of-range parameter, or an unknown enum value */
    PE_ERR_BAD_QUANTISATION = 15,    /* int8 scales, zero points, multipliers or shifts invalid */
    PE_ERR_ARENA_MISMATCH = 16,      /* the header's arena size is not the one the layers need */
    PE_ERR_ARENA_TOO_SMALL = 17,     /* the caller's arena is smaller than the header's arena size */
    PE_ERR_BAD_INPUT = 18,           /* a non-finite observation */
    PE_ERR_NONFINITE_OUTPUT = 19     /* the network overflowed to a non-finite action: use the fallback */
} pe_status_t;

/** A short English description of `status` (a static string; never NULL). */
const char *pe_status_string(pe_status_t status);

#endif
