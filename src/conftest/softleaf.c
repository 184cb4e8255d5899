// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_SOFTLEAF: non-present page-table entries are softleaf_t (leafops.h). */
#include <linux/leafops.h>

unsigned long probe(pte_t pte);
unsigned long probe(pte_t pte)
{
	softleaf_t e = softleaf_from_pte(pte);

	return softleaf_is_swap(e) ? 0 : softleaf_to_pfn(e);
}
