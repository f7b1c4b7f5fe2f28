#include <kairos/common.h>
#include <kairos/version.h>

unsigned kairos_version_number(void)
{
    return KAIROS_VERSION_NUMBER;
}

const char *kairos_version_string(void)
{
    return KAIROS_VERSION_STRING;
}
