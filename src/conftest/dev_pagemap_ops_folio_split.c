// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_FOLIO_SPLIT_OP: dev_pagemap_ops.folio_split for device THP splits. */
#include <linux/memremap.h>

static void probe_split(struct folio *head, struct folio *tail) { }
const struct dev_pagemap_ops probe_ops = { .folio_split = probe_split };
