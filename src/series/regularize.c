#include "core/internal.h"
