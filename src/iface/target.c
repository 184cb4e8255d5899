// SPDX-License-Identifier: GPL-2.0
/*
 * Whose memory an ioctl acts on: the caller's, or another process named by
 * a pidfd, following the process_madvise() model: the caller needs the
 * rights ptrace(PTRACE_MODE_ATTACH_REALCREDS) checks, and the check and
 * get_task_mm() happen under the target's exec_update_lock so an exec
 * (setuid or not) cannot slip in between.
 *
 * The kernel exports neither pidfd_get_task(), mm_access(),
 * ptrace_may_access() nor the LSM hook behind them
 * (security_ptrace_access_check) to modules, so this file cannot ask
 * SELinux, AppArmor, Landlock or Yama what they allow.  It is stricter
 * than all of them instead:
 *  - another process may be targeted only by a caller with CAP_SYS_PTRACE
 *    in the initial user namespace (root, as a rule), never by an
 *    unprivileged parent on its child, whatever the LSMs would say;
 *  - Yama's ptrace_scope 3 ("no attach") refuses every caller.  Yama keeps
 *    the value to itself, so it is read from its sysctl; where Yama is
 *    built in and the value cannot be read, the call is refused too;
 *  - the pidfd is recognised by its file system (pidfs, PID_FS_MAGIC),
 *    whose inode carries the struct pid, and the privilege check and
 *    get_task_mm() happen under the target's exec_update_lock, as in
 *    mm_access(), so an exec cannot slip in between.
 * An LSM policy that denies a privileged caller ptrace of some domain
 * (SELinux's ptrace permission, say) is not seen: give /dev/pseudoscopicN
 * only to a group such callers are trusted with (Documentation/uapi.md).
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/magic.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/iface/target.h>

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

/* Yama's ptrace_scope, or -1 when Yama is built in but cannot be read. */
static int ps_yama_scope(void)
{
#if IS_ENABLED(CONFIG_SECURITY_YAMA)
	char buf[8] = "";
	loff_t pos = 0;
	struct file *f;
	ssize_t n;
	int scope;

	f = filp_open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY, 0);
	if (IS_ERR(f))
		return -1;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0 || kstrtoint(strim(buf), 10, &scope))
		return -1;
	return scope;
#else
	return 0;
#endif
}

/* PTRACE_MODE_ATTACH, where a module cannot ask the LSMs: privilege only. */
static int ps_may_attach(struct task_struct *task)
{
	int scope;

	if (same_thread_group(task, current))
		return 0;
	if (!capable(CAP_SYS_PTRACE))
		return -EPERM;
	scope = ps_yama_scope();
	if (scope < 0 || scope >= 3)	/* YAMA_SCOPE_NO_ATTACH */
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
	ret = ps_may_attach(task);
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
