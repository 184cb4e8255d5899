// SPDX-License-Identifier: GPL-2.0
/*
 * Whose memory an ioctl acts on: the caller's, or another process named by
 * a pidfd, following the process_madvise() model: the caller needs the
 * rights ptrace(PTRACE_MODE_ATTACH_REALCREDS) checks, and the check and
 * get_task_mm() happen under the target's exec_update_lock so an exec
 * (setuid or not) cannot slip in between.
 *
 * The kernel exports neither pidfd_get_task(), mm_access() nor
 * ptrace_may_access() to modules, so this file does their work with what
 * is exported, and is stricter where it cannot see:
 *  - the pidfd is recognised by its file system (pidfs, PID_FS_MAGIC),
 *    whose inode carries the struct pid;
 *  - the credential and dumpability rules of __ptrace_may_access() are
 *    applied as written there (real uid/gid against the target's
 *    uid/euid/suid and gid/egid/sgid, or CAP_SYS_PTRACE in the target's
 *    namespace; a non-dumpable target needs CAP_SYS_PTRACE in its mm's
 *    namespace);
 *  - the LSM hook (security_ptrace_access_check) is not callable from a
 *    module.  In its place a caller without CAP_SYS_PTRACE in the initial
 *    namespace may only reach its own descendants, which is Yama's
 *    "restricted ptrace" rule (ptrace_scope=1) and never more permissive
 *    than a default Yama or no-LSM system;
 *  - where the kernel hides dumpability from modules entirely, only
 *    CAP_SYS_PTRACE in the initial namespace is accepted.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/iface/target.h>

#ifdef PS_HAVE_TASK_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif

#ifdef PS_HAVE_PIDFS_MAGIC
/* The task a pidfd refers to, with a reference; ERR_PTR on failure. */
static struct task_struct *ps_pidfd_task(int pidfd)
{
	CLASS(fd, f)(pidfd);
	struct task_struct *task;
	struct inode *inode;

	if (fd_empty(f))
		return ERR_PTR(-EBADF);
	inode = file_inode(fd_file(f));
	if (inode->i_sb->s_magic != PID_FS_MAGIC)
		return ERR_PTR(-EBADF);
	/* The open file pins the inode and so its struct pid. */
	task = get_pid_task(inode->i_private, PIDTYPE_PID);
	return task ?: ERR_PTR(-ESRCH);
}
#else
static struct task_struct *ps_pidfd_task(int pidfd)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* Yama's task_is_descendant(): is @child below @parent's thread group? */
static bool ps_is_descendant(struct task_struct *parent,
			     struct task_struct *child)
{
	struct task_struct *walker = child;
	bool ret = false;

	rcu_read_lock();
	if (!thread_group_leader(parent))
		parent = READ_ONCE(parent->group_leader);
	while (walker->pid > 0) {
		if (!thread_group_leader(walker))
			walker = READ_ONCE(walker->group_leader);
		if (walker == parent) {
			ret = true;
			break;
		}
		walker = rcu_dereference(walker->real_parent);
	}
	rcu_read_unlock();
	return ret;
}

/* __ptrace_may_access()'s dumpability rule, where modules can see it. */
static bool ps_still_dumpable(struct task_struct *task, struct mm_struct *mm)
{
#if defined(PS_HAVE_MM_GET_DUMPABLE)
	return get_dumpable(mm) == SUID_DUMP_USER ||
	       ns_capable(mm->user_ns, CAP_SYS_PTRACE);
#elif defined(PS_HAVE_TASK_EXEC_STATE)
	const struct task_exec_state *es;
	struct user_namespace *ns;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	if (READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER) {
		rcu_read_unlock();
		return true;
	}
	ns = get_user_ns(es->user_ns);
	rcu_read_unlock();
	if (ns_capable(ns, CAP_SYS_PTRACE)) {
		put_user_ns(ns);
		return true;
	}
	put_user_ns(ns);
	return false;
#else
	return capable(CAP_SYS_PTRACE);
#endif
}

/* PTRACE_MODE_ATTACH_REALCREDS, as far as a module can check it. */
static int ps_may_attach(struct task_struct *task, struct mm_struct *mm)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return 0;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->uid, tcred->euid) &&
	      uid_eq(cred->uid, tcred->suid) &&
	      uid_eq(cred->uid, tcred->uid) &&
	      gid_eq(cred->gid, tcred->egid) &&
	      gid_eq(cred->gid, tcred->sgid) &&
	      gid_eq(cred->gid, tcred->gid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return -EPERM;
	/* Dumpability after credentials; pairs with commit_creds(). */
	smp_rmb();
	if (!ps_still_dumpable(task, mm))
		return -EPERM;
	if (!capable(CAP_SYS_PTRACE) && !ps_is_descendant(current, task))
		return -EPERM;
	return 0;
}

/**
 * ps_target_mm() - the address space an ioctl acts on
 * @use_pidfd: act on the process @pidfd refers to, not on the caller
 * @pidfd: a pidfd (used only with @use_pidfd)
 *
 * Context: process context; may sleep.
 * Return: the mm with a user reference (drop it with mmput()), or
 * ERR_PTR(-EBADF) for something that is not a pidfd, -ESRCH for a process
 * that has exited or has no mm, -EPERM without the rights, -EINTR if a
 * fatal signal interrupted the wait, -EOPNOTSUPP where pidfds cannot be
 * resolved by a module.
 */
struct mm_struct *ps_target_mm(bool use_pidfd, int pidfd)
{
	struct task_struct *task;
	struct mm_struct *mm;
	int ret;

	if (!use_pidfd) {
		mm = current->mm;
		if (!mm || !mmget_not_zero(mm))
			return ERR_PTR(-ESRCH);
		return mm;
	}
	task = ps_pidfd_task(pidfd);
	if (IS_ERR(task))
		return ERR_CAST(task);
	/* As mm_access(): no exec between the check and get_task_mm(). */
	ret = down_read_killable(&task->signal->exec_update_lock);
	if (ret)
		goto out_put_task;
	mm = get_task_mm(task);
	if (!mm) {
		ret = -ESRCH;
		goto out_unlock;
	}
	ret = ps_may_attach(task, mm);
	if (ret)
		goto out_mmput;
	up_read(&task->signal->exec_update_lock);
	put_task_struct(task);
	return mm;

out_mmput:
	mmput(mm);
out_unlock:
	up_read(&task->signal->exec_update_lock);
out_put_task:
	put_task_struct(task);
	return ERR_PTR(ret);
}
