/* Small portable helpers: the thread-local C locale and checked allocation. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>

void kairos__c_locale_enter(kairos__c_locale *l)
{
    /* newlocale() may fail under memory pressure; we then keep the current locale, which
     * is "C" in every program that never called setlocale(). */
    l->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    l->previous = l->c ? uselocale(l->c) : (locale_t)0;
}

void kairos__c_locale_leave(kairos__c_locale *l)
{
    if (!l->c)
        return;
    uselocale(l->previous);
    freelocale(l->c);
    l->c = (locale_t)0;
}

void *kairos__malloc_array(size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        return NULL;
    return malloc((n && sz) ? n * sz : 1);
}

void *kairos__calloc(size_t n, size_t sz)
{
    return calloc(n ? n : 1, sz ? sz : 1);
}
