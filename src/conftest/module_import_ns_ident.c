// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_MODULE_IMPORT_NS_IDENT: MODULE_IMPORT_NS() takes an identifier
 * (later kernels take a string literal).
 */
#include <linux/module.h>

MODULE_IMPORT_NS(PS_PROBE_NAMESPACE);
