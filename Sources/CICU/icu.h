// Debian's ICU (libicu-dev), found through pkg-config `icu-uc`. Only the C shim includes it.
#include <unicode/utypes.h>
