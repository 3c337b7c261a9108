/* Human-readable status strings. */
#include "pe_status.h"

const char *pe_status_string(pe_status_t status)
{
    switch (status) {
    case PE_OK: return "ok";
    case PE_ERR_NULL_ARGUMENT: return "a required argument is NULL";
    case PE_ERR_ALIGNMENT: return "the policy bytes or the arena are not 4-byte aligned";
    case PE_ERR_UNSUPPORTED_HOST: return "the host is not little-endian with IEEE-754 binary32 floats";
    case PE_ERR_TRUNCATED: return "the file is truncated";
    case PE_ERR_BAD_MAGIC: return "not a policy file (bad magic)";
    case PE_ERR_UNSUPPORTED_VERSION: return "unsupported format version";
    case PE_ERR_BAD_HEADER: return "inconsistent header (length, flags or reserved fields)";
    case PE_ERR_CHECKSUM: return "CRC-32 mismatch (the file is damaged)";
    case PE_ERR_BAD_SECTION_TABLE: return "bad section table (bounds, alignment, overlap or repeat)";
    case PE_ERR_UNKNOWN_REQUIRED_SECTION: return "a required section of unknown type";
    case PE_ERR_MISSING_SECTION: return "a mandatory section is missing";
    case PE_ERR_BAD_SECTION_LENGTH: return "a section's length does not match its contents";
    case PE_ERR_BAD_DIMENSION: return "a count or width is zero, too large or does not chain";
    case PE_ERR_BAD_VALUE: return "a parameter is non-finite, out of range or of unknown kind";
    case PE_ERR_BAD_QUANTISATION: return "invalid int8 quantisation parameters";
    case PE_ERR_ARENA_MISMATCH: return "the header's arena size does not match the layers";
    case PE_ERR_ARENA_TOO_SMALL: return "the arena is smaller than the policy needs";
    case PE_ERR_BAD_INPUT: return "a non-finite observation";
    case PE_ERR_NONFINITE_OUTPUT: return "the network produced a non-finite action";
    }
    return "unknown status";
}
