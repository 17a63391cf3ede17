#include "cs_icu_shim.h"

#include <unicode/utypes.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/unorm2.h>
#include <unicode/uchar.h>
#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <string.h>

int32_t cs_word_breaker_open(cs_word_breaker *breaker, const char *locale) {
    UErrorCode status = U_ZERO_ERROR;
    breaker->text = NULL;
    breaker->iterator = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
    return (int32_t)status;
}

void cs_word_breaker_close(cs_word_breaker *breaker) {
    if (breaker->iterator) { ubrk_close((UBreakIterator *)breaker->iterator); breaker->iterator = NULL; }
    if (breaker->text) { utext_close((UText *)breaker->text); breaker->text = NULL; }
}

int32_t cs_word_breaker_set_utf8(cs_word_breaker *breaker, const char *bytes, int64_t length) {
    UErrorCode status = U_ZERO_ERROR;
    breaker->text = utext_openUTF8((UText *)breaker->text, bytes, length, &status);
    if (U_FAILURE(status)) return (int32_t)status;
    ubrk_setUText((UBreakIterator *)breaker->iterator, (UText *)breaker->text, &status);
    return (int32_t)status;
}

int32_t cs_word_breaker_first(cs_word_breaker *breaker) { return ubrk_first((UBreakIterator *)breaker->iterator); }
int32_t cs_word_breaker_next(cs_word_breaker *breaker) { return ubrk_next((UBreakIterator *)breaker->iterator); }
int32_t cs_word_breaker_rule_status(cs_word_breaker *breaker) { return ubrk_getRuleStatus((UBreakIterator *)breaker->iterator); }

const void *cs_nfkc_instance(int32_t *status_out) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCInstance(&status);
    *status_out = (int32_t)status;
    return n;
}

int cs_nfkc_is_inert(const void *normalizer, int32_t c) {
    return unorm2_isInert((const UNormalizer2 *)normalizer, (UChar32)c) ? 1 : 0;
}

int32_t cs_nfkc_normalize(const void *normalizer, const uint16_t *src, int32_t length,
                          uint16_t *dest, int32_t capacity, int32_t *status_out) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = unorm2_normalize((const UNormalizer2 *)normalizer, (const UChar *)src, length,
                                       (UChar *)dest, capacity, &status);
    *status_out = (int32_t)status;
    return written;
}

int32_t cs_fold_case(int32_t c) { return (int32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT); }

int32_t cs_detect_charset(const char *bytes, int32_t length, char *name, int32_t capacity, int32_t *confidence) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status)) return (int32_t)status;
    ucsdet_setText(detector, bytes, length, &status);
    const UCharsetMatch *match = ucsdet_detect(detector, &status);
    if (U_SUCCESS(status) && match != NULL) {
        const char *found = ucsdet_getName(match, &status);
        *confidence = ucsdet_getConfidence(match, &status);
        if (U_SUCCESS(status) && found != NULL) {
            strncpy(name, found, (size_t)capacity - 1);
            name[capacity - 1] = 0;
        }
    } else if (U_SUCCESS(status)) {
        *confidence = 0;
        name[0] = 0;
    }
    ucsdet_close(detector);
    return (int32_t)status;
}

int32_t cs_convert_to_utf8(const char *charset, const char *source, int32_t length, char *dest, int32_t capacity,
                           int32_t *status_out) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = ucnv_convert("UTF-8", charset, dest, capacity, source, length, &status);
    *status_out = (int32_t)status;
    return written;
}

int32_t cs_transliterate(const char *id, uint16_t *text, int32_t length, int32_t capacity, int32_t *status_out) {
    UErrorCode status = U_ZERO_ERROR;
    UChar idBuffer[64];
    u_charsToUChars(id, idBuffer, (int32_t)strlen(id) + 1);
    UTransliterator *t = utrans_openU(idBuffer, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) { *status_out = (int32_t)status; return 0; }
    int32_t limit = length;
    utrans_transUChars(t, (UChar *)text, &length, capacity, 0, &limit, &status);
    utrans_close(t);
    *status_out = (int32_t)status;
    return length;
}

int32_t cs_convert(const char *to, const char *from, const char *source, int32_t length, char *dest, int32_t capacity,
                   int32_t *status_out) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = ucnv_convert(to, from, dest, capacity, source, length, &status);
    *status_out = (int32_t)status;
    return written;
}
