/** @file kairos/common.h
 *  @brief Status codes, error details, library-owned text buffers and the export macro.
 *
 *  Everything else in libkairos builds on these conventions:
 *  - fallible calls return `int`: #KAIROS_OK or a negative `KAIROS_E*` code whose numeric
 *    value never changes once released;
 *  - kairos_last_error() gives a thread-local, human-readable detail of the last failure;
 *  - text the library produces comes back in a #kairos_buf released with kairos_buf_dispose().
 */
#ifndef KAIROS_COMMON_H
#define KAIROS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#  define KAIROS_BEGIN_DECLS extern "C" {
#  define KAIROS_END_DECLS   }
#else
#  define KAIROS_BEGIN_DECLS
#  define KAIROS_END_DECLS
#endif

#if defined(_WIN32)
#  if defined(KAIROS_BUILDING_LIBRARY)
#    define KAIROS_API __declspec(dllexport)
#  else
#    define KAIROS_API
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define KAIROS_API __attribute__((visibility("default")))
#else
#  define KAIROS_API
#endif

KAIROS_BEGIN_DECLS

/** Status codes. The numeric values are part of the ABI and never change. */
typedef enum kairos_status {
    KAIROS_OK       =  0,  /**< success */
    KAIROS_EINVAL   = -1,  /**< invalid argument or option (a caller error) */
    KAIROS_ENOMEM   = -2,  /**< out of memory */
    KAIROS_EIO      = -3,  /**< a file could not be opened or read */
    KAIROS_EPARSE   = -4,  /**< malformed input text (CSV, JSON, YAML, timestamps) */
    KAIROS_EDATA    = -5,  /**< well-formed data that cannot be used (too short, all missing, infinite) */
    KAIROS_EMODEL   = -6,  /**< a model could not be fitted or does not converge */
    KAIROS_EVERSION = -7,  /**< an options struct carries a version this library does not know */
    KAIROS_ERANGE   = -8,  /**< a value is outside the range the operation supports */
    KAIROS_ENOTSUP  = -9   /**< the operation is not supported for this input or model */
} kairos_status;

/**
 * Name of a status code ("invalid argument", ...). Never NULL: unknown codes give
 * "unknown error". The string is static. Thread-safety: safe.
 */
KAIROS_API const char *kairos_strerror(int status);

/**
 * Detail of the most recent failure on the calling thread, e.g.
 * "line 17: timestamp '2024-13-01' is not a valid date". Empty string when the last call
 * that reports errors succeeded without setting one. The pointer stays valid until the next
 * libkairos call on the same thread. Thread-safety: thread-local, so safe.
 */
KAIROS_API const char *kairos_last_error(void);

/** Clear the calling thread's error detail. */
KAIROS_API void kairos_clear_error(void);

/**
 * A growable text buffer produced by the library (YAML, JSON, reports). The library owns
 * `data`; release it with kairos_buf_dispose(). `data` is NUL-terminated; `len` excludes the NUL.
 */
typedef struct kairos_buf {
    char  *data;
    size_t len;
    size_t cap;
} kairos_buf;
#define KAIROS_BUF_INIT { NULL, 0, 0 }

/** Release the memory of @p buf and reset it to empty. NULL or an empty buffer is fine. */
KAIROS_API void kairos_buf_dispose(kairos_buf *buf);

/** The version the library was built as, as MAJOR*10000 + MINOR*100 + PATCH. */
KAIROS_API unsigned kairos_version_number(void);

/** The version the library was built as, as "MAJOR.MINOR.PATCH". Static string. */
KAIROS_API const char *kairos_version_string(void);

KAIROS_END_DECLS

#endif /* KAIROS_COMMON_H */
