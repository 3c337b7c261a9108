/* CRC-32/IEEE (ISO-HDLC: zlib, PNG, Ethernet), the checksum of .pbp files and of NeuralNetworks' CRC32.
 * Reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; check value of "123456789"
 * is 0xCBF43926. Half-byte table (16 entries, 64 bytes of flash) instead of the 1 KiB byte table:
 * loading is not the hot path, and the runtime's flash budget is small. */
#include "pe_policy.h"

static const uint32_t pe_crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu
};

uint32_t pe_crc32(const uint8_t *bytes, size_t length)
{
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    if (bytes == NULL) return 0;
    for (i = 0; i < length; i++) {
        c ^= bytes[i];
        c = pe_crc_nibble[c & 0x0Fu] ^ (c >> 4);
        c = pe_crc_nibble[c & 0x0Fu] ^ (c >> 4);
    }
    return c ^ 0xFFFFFFFFu;
}
