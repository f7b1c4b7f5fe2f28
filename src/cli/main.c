#include <kairos/kairos.h>
#include <stdio.h>
int main(void) { puts(kairos_version_string()); return 0; }
