// SPDX-License-Identifier: GPL-2.0
/*
 * PS_HAVE_PIDFS_MAGIC: pidfds are files of pidfs (PID_FS_MAGIC) whose inode
 * carries the struct pid, and fd_file() exists.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pid.h>

struct pid *probe(int fd);
struct pid *probe(int fd)
{
	CLASS(fd, f)(fd);
	struct inode *inode;

	if (fd_empty(f))
		return NULL;
	inode = file_inode(fd_file(f));
	if (inode->i_sb->s_magic != PID_FS_MAGIC)
		return NULL;
	return get_pid(inode->i_private);
}
