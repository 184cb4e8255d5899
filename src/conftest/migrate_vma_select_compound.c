// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_DEVICE_PRIVATE_THP: migrate_vma can collect compound device folios. */
#include <linux/migrate.h>

const unsigned long probe_flags = MIGRATE_VMA_SELECT_COMPOUND;
const unsigned long probe_pfn = MIGRATE_PFN_COMPOUND;
