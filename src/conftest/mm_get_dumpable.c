// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_MM_GET_DUMPABLE: dumpability lives in mm->flags (get_dumpable). */
#include <linux/mm_types.h>
#include <linux/sched/coredump.h>

int probe(struct mm_struct *mm);
int probe(struct mm_struct *mm)
{
	return get_dumpable(mm) == SUID_DUMP_USER;
}
