// Debian's zlib (zlib1g-dev), found through pkg-config `zlib`. Only Indexing's Deflate.swift uses it.
#include <zlib.h>
