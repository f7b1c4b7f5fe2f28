/* Status codes and the thread-local error detail. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The only per-thread state in the library: the detail of the last failure. */
static _Thread_local char last_error[512];

const char *kairos_strerror(int status)
{
    switch (status) {
    case KAIROS_OK:       return "success";
    case KAIROS_EINVAL:   return "invalid argument";
    case KAIROS_ENOMEM:   return "out of memory";
    case KAIROS_EIO:      return "input/output error";
    case KAIROS_EPARSE:   return "malformed input";
    case KAIROS_EDATA:    return "unusable data";
    case KAIROS_EMODEL:   return "model could not be fitted";
    case KAIROS_EVERSION: return "unsupported options version";
    case KAIROS_ERANGE:   return "value out of range";
    case KAIROS_ENOTSUP:  return "not supported";
    default:              return "unknown error";
    }
}

const char *kairos_last_error(void)
{
    return last_error;
}

void kairos_clear_error(void)
{
    last_error[0] = '\0';
}

int kairos__fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

int kairos__check_version(unsigned version, unsigned current, const char *what)
{
    if (version >= 1 && version <= current)
        return KAIROS_OK;
    return kairos__fail(KAIROS_EVERSION, "%s version %u is not supported (this library knows 1..%u)",
                        what, version, current);
}
