// Debian's zlib (zlib1g-dev), found through pkg-config `zlib`: Indexing's Deflate.swift and CRC32.swift use it.
#include <zlib.h>
