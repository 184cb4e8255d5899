// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_TASK_EXEC_STATE: dumpability lives in task->exec_state. */
#include <linux/sched.h>
#include <linux/sched/exec_state.h>

int probe(struct task_struct *task);
int probe(struct task_struct *task)
{
	const struct task_exec_state *es = rcu_dereference(task->exec_state);

	return READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER &&
	       es->user_ns;
}
