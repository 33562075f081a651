/* CRC-32 (IEEE 802.3, the one zlib and gzip use). Portable C. */
#ifndef PARTITION_CRC32_H
#define PARTITION_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc32_ieee("123456789", 9) == 0xcbf43926. */
uint32_t crc32_ieee(const void *data, size_t len);

/* Continue a CRC over more bytes, like zlib's crc32(crc, buf, len): start from 0. */
uint32_t crc32_ieee_update(uint32_t crc, const void *data, size_t len);

#endif
