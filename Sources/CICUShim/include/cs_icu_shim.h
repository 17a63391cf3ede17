// CommitteeSearch's only C: a thin shim over ICU's C API. This header names no ICU type, so Swift
// modules that also import Foundation (which carries a private ICU of its own) see no clash;
// the implementation includes ICU's headers, whose renaming macros pick Debian's
// version-suffixed symbols (ubrk_open_72).
#ifndef CS_ICU_SHIM_H
#define CS_ICU_SHIM_H

#include <stdint.h>

typedef struct cs_word_breaker {
    void *iterator;
    void *text;
} cs_word_breaker;

/// Opens a word break iterator for `locale`. Returns ICU's status code: > 0 is a failure;
/// warnings such as U_USING_DEFAULT_WARNING (-127) are negative and harmless.
int32_t cs_word_breaker_open(cs_word_breaker *breaker, const char *locale);
void cs_word_breaker_close(cs_word_breaker *breaker);
/// Points the iterator at UTF-8 bytes (not copied: they must outlive the iteration).
/// Offsets reported afterwards are byte offsets into `bytes`.
int32_t cs_word_breaker_set_utf8(cs_word_breaker *breaker, const char *bytes, int64_t length);
int32_t cs_word_breaker_first(cs_word_breaker *breaker);
/// The next boundary, or -1 (UBRK_DONE) at the end.
int32_t cs_word_breaker_next(cs_word_breaker *breaker);
/// ICU's rule status of the span that ends at the current boundary (0-99 none, 100-199 number,
/// 200-299 letter, 300-399 kana, 400-499 ideographic).
int32_t cs_word_breaker_rule_status(cs_word_breaker *breaker);

/// ICU's shared NFKC instance (owned by ICU, never closed), or NULL with `status_out` set.
const void *cs_nfkc_instance(int32_t *status_out);
/// 1 when NFKC leaves the code point unchanged whatever surrounds it.
int cs_nfkc_is_inert(const void *normalizer, int32_t c);
/// NFKC of UTF-16 `src`; returns the length written (or needed) and sets `status_out`.
int32_t cs_nfkc_normalize(const void *normalizer, const uint16_t *src, int32_t length,
                          uint16_t *dest, int32_t capacity, int32_t *status_out);
/// Simple (one-to-one) default case folding of a code point.
int32_t cs_fold_case(int32_t c);

/// Guesses the charset of `bytes` (ICU's charset detector). Writes the canonical name (e.g.
/// "GB18030", "UTF-16LE") into `name` and the confidence (0–100); returns the status code.
int32_t cs_detect_charset(const char *bytes, int32_t length, char *name, int32_t capacity, int32_t *confidence);
/// Converts `length` bytes in `charset` to UTF-8; returns the length written (or needed when it
/// exceeds `capacity`) and sets `status_out` (> 0 is a failure).
int32_t cs_convert_to_utf8(const char *charset, const char *source, int32_t length, char *dest, int32_t capacity,
                           int32_t *status_out);

/// Converts `length` bytes from charset `from` to charset `to` (unmappable characters become the
/// target's substitution character); returns the length written (or needed); sets `status_out`.
int32_t cs_convert(const char *to, const char *from, const char *source, int32_t length, char *dest, int32_t capacity,
                   int32_t *status_out);

/// Transliterates UTF-16 `text` in place with ICU's transform `id` (e.g. "Traditional-Simplified").
/// Returns the new length (or the length needed when it exceeds `capacity`); sets `status_out`.
int32_t cs_transliterate(const char *id, uint16_t *text, int32_t length, int32_t capacity, int32_t *status_out);

#endif
