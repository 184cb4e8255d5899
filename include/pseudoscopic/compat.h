/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, decided by src/conftest.sh probes (never by version
 * number).  The generated header only says what exists; this file turns that
 * into the few helpers the driver uses.
 */
#ifndef PS_COMPAT_H
#define PS_COMPAT_H

#include "ps_compat_generated.h"

#ifdef PS_HAVE_FOLIO_FREE
#define PS_API_FREE_NAME "folio_free"
#else
#define PS_API_FREE_NAME "page_free"
#endif

#ifdef PS_HAVE_DEVICE_PRIVATE_THP
#define PS_API_THP true
#else
#define PS_API_THP false
#endif

/* Import the namespace EXPORT_SYMBOL_IF_KUNIT() exports into. */
#ifdef PS_HAVE_MODULE_IMPORT_NS_IDENT
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#else
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#endif

#endif /* PS_COMPAT_H */
