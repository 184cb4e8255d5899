// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_FOLIO_FREE: dev_pagemap_ops.folio_free(folio) replaced page_free. */
#include <linux/memremap.h>

static void probe_free(struct folio *folio) { }
const struct dev_pagemap_ops probe_ops = { .folio_free = probe_free };
