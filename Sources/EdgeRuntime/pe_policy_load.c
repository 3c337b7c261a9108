/* pe_policy_load: header, CRC-32 and section table of a .pbp file (docs/policy-format.md).
 *
 * As in TensorFlow Lite Micro (MicroInterpreter: the model is checked and planned once, before any
 * invocation), nothing in the file is used before it is validated: lengths against the bytes actually
 * given, the CRC-32 over everything before it, then each section's bounds, then each section's contents.
 * All offset arithmetic is of the form `offset <= end && length <= end - offset`, which cannot wrap. */
#include "pe_policy_internal.h"

#define PE_KNOWN_TYPES 5u

/* Little-endian host with 32-bit IEEE floats: 1.0f is 0x3F800000 stored as 00 00 80 3F. */
static int pe_host_supported(void)
{
    const float one = 1.0f;
    uint8_t b[4];
    memcpy(b, &one, 4);
    return b[0] == 0x00 && b[1] == 0x00 && b[2] == 0x80 && b[3] == 0x3F;
}

/* Magic, version and header length; the file length field into *file_length. */
static pe_status_t pe_check_header_start(const uint8_t *bytes, size_t length, uint32_t *file_length)
{
    static const uint8_t magic[4] = { 'P', 'B', 'P', 'F' };
    size_t i;
    for (i = 0; i < 4 && i < length; i++) {
        if (bytes[i] != magic[i]) return PE_ERR_BAD_MAGIC;
    }
    if (length < PE_HEADER_BYTES) return PE_ERR_TRUNCATED;
    if (pe_le16(bytes + 4) != PE_FORMAT_VERSION) return PE_ERR_UNSUPPORTED_VERSION;
    if (pe_le16(bytes + 6) != PE_HEADER_BYTES) return PE_ERR_BAD_HEADER;
    *file_length = pe_le32(bytes + 8);
    return PE_OK;
}

pe_status_t pe_policy_arena_size(const uint8_t *bytes, size_t length, size_t *arena_bytes)
{
    uint32_t file_length;
    pe_status_t s;
    if (bytes == NULL || arena_bytes == NULL) return PE_ERR_NULL_ARGUMENT;
    s = pe_check_header_start(bytes, length, &file_length);
    if (s != PE_OK) return s;
    *arena_bytes = pe_le32(bytes + 16);
    return PE_OK;
}

/* Checks the section table and records where each known section is. */
static pe_status_t pe_read_table(const uint8_t *bytes, size_t body_end, uint32_t count,
                                 pe_cursor_t found[PE_KNOWN_TYPES + 1])
{
    size_t table_end = PE_HEADER_BYTES + (size_t)count * PE_SECTION_ENTRY_BYTES;
    size_t previous_end = table_end;
    uint32_t i;
    if (count == 0 || count > PE_MAX_SECTIONS || table_end > body_end) return PE_ERR_BAD_SECTION_TABLE;
    for (i = 0; i < count; i++) {
        const uint8_t *e = bytes + PE_HEADER_BYTES + (size_t)i * PE_SECTION_ENTRY_BYTES;
        uint16_t type = pe_le16(e), flags = pe_le16(e + 2);
        size_t offset = pe_le32(e + 4), len = pe_le32(e + 8);
        if ((flags & ~PE_SECTION_REQUIRED) != 0 || pe_le32(e + 12) != 0) return PE_ERR_BAD_SECTION_TABLE;
        /* In order, 4-byte aligned, after the table and the previous section, inside the body. */
        if (offset % 4 != 0 || offset < previous_end || offset > body_end || len > body_end - offset) {
            return PE_ERR_BAD_SECTION_TABLE;
        }
        previous_end = offset + len;
        if (type >= 1 && type <= PE_KNOWN_TYPES) {
            if (found[type].base != NULL) return PE_ERR_BAD_SECTION_TABLE;
            found[type].base = bytes + offset;
            found[type].length = len;
            found[type].position = 0;
        } else if ((flags & PE_SECTION_REQUIRED) != 0) {
            return PE_ERR_UNKNOWN_REQUIRED_SECTION;
        }
    }
    return PE_OK;
}

static pe_status_t pe_load_checked(const uint8_t *bytes, size_t length, uint8_t *arena, size_t arena_size,
                                   pe_policy_t *out)
{
    pe_cursor_t found[PE_KNOWN_TYPES + 1];
    uint32_t file_length, stored_crc, header_arena;
    size_t body_end, required;
    pe_status_t s;
    if (!pe_host_supported()) return PE_ERR_UNSUPPORTED_HOST;
    if (((uintptr_t)bytes % 4) != 0 || ((uintptr_t)arena % 4) != 0) return PE_ERR_ALIGNMENT;
    s = pe_check_header_start(bytes, length, &file_length);
    if (s != PE_OK) return s;
    if (pe_le32(bytes + 20) != 0 || pe_le32(bytes + 24) != 0 || pe_le32(bytes + 28) != 0) return PE_ERR_BAD_HEADER;
    if (file_length > length) return PE_ERR_TRUNCATED;
    if (file_length != length || file_length < PE_HEADER_BYTES + 4u) return PE_ERR_BAD_HEADER;
    body_end = (size_t)file_length - 4u;
    stored_crc = pe_le32(bytes + body_end);
    if (pe_crc32(bytes, body_end) != stored_crc) return PE_ERR_CHECKSUM;

    memset(found, 0, sizeof found);
    s = pe_read_table(bytes, body_end, pe_le32(bytes + 12), found);
    if (s != PE_OK) return s;
    if (found[PE_SECTION_NORMALISATION].base == NULL || found[PE_SECTION_LAYERS].base == NULL ||
        found[PE_SECTION_ACTION].base == NULL) {
        return PE_ERR_MISSING_SECTION;
    }
    out->version = PE_FORMAT_VERSION;
    out->crc32 = stored_crc;
    if ((s = pe_parse_normalisation(found[PE_SECTION_NORMALISATION], out)) != PE_OK) return s;
    if ((s = pe_parse_layers(found[PE_SECTION_LAYERS], out)) != PE_OK) return s;
    if ((s = pe_parse_action(found[PE_SECTION_ACTION], out)) != PE_OK) return s;
    if (found[PE_SECTION_SAFETY_LIMITS].base != NULL) {
        if ((s = pe_parse_limits(found[PE_SECTION_SAFETY_LIMITS], &out->limits)) != PE_OK) return s;
        out->has_limits = 1;
    }
    if (found[PE_SECTION_METADATA].base != NULL) {
        out->metadata = found[PE_SECTION_METADATA].base;
        out->metadata_length = (uint32_t)found[PE_SECTION_METADATA].length;
    }
    header_arena = pe_le32(bytes + 16);
    required = pe_policy_required_arena(out);
    if ((size_t)header_arena != required) return PE_ERR_ARENA_MISMATCH;
    if (arena_size < required) return PE_ERR_ARENA_TOO_SMALL;
    out->arena = arena;
    out->arena_bytes = required;
    return PE_OK;
}

pe_status_t pe_policy_load(const uint8_t *bytes, size_t length, uint8_t *arena, size_t arena_size,
                           pe_policy_t *out)
{
    pe_status_t s;
    if (out == NULL) return PE_ERR_NULL_ARGUMENT;
    memset(out, 0, sizeof *out);
    if (bytes == NULL || arena == NULL) return PE_ERR_NULL_ARGUMENT;
    s = pe_load_checked(bytes, length, arena, arena_size, out);
    if (s != PE_OK) memset(out, 0, sizeof *out);
    return s;
}
