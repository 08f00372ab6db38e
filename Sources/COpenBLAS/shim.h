#ifndef EMOTELAB_COPENBLAS_SHIM_H
#define EMOTELAB_COPENBLAS_SHIM_H
#include <cblas.h>
/* OpenBLAS extensions (declared in its cblas.h on Debian): thread control. */
#endif
