// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pseudoscopicN: one misc device per bound device, mode 0600 (a udev
 * rule may grant a group; see Documentation/uapi.md).  The ioctls are
 * defined in include/uapi/linux/pseudoscopic.h; every argument is checked
 * before anything is touched.
 *
 * Lifetime: an open file holds a reference on the ps_device, so the
 * structure outlives an unbind; after remove() the file only answers
 * -ENODEV (ps->dead, under ps->state_lock).
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/iface/chardev.h>
#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/move/residency.h>
#include <pseudoscopic/iface/target.h>
#include <pseudoscopic/move/thp.h>

static_assert(sizeof(struct ps_info) == 128);
static_assert(sizeof(struct ps_migrate) == 112);
static_assert(sizeof(struct ps_residency) == 88);

/*
 * The ioctl numbers of uapi versions 1-3.  Their magic, 0xb5, belongs to
 * rpmsg (Documentation/userspace-api/ioctl/ioctl-number.rst); version 4
 * moved to 0xb9.  A stale binary gets a distinct errno and one log line,
 * never the wrong ioctl.
 */
#define PS_OLD_IOC_MAGIC	0xb5
#define PS_OLD_IOC_INFO		_IOR(PS_OLD_IOC_MAGIC, 0x00, struct ps_info)
#define PS_OLD_IOC_MIGRATE	_IOWR(PS_OLD_IOC_MAGIC, 0x01, struct ps_migrate)
#define PS_OLD_IOC_RESIDENCY	_IOWR(PS_OLD_IOC_MAGIC, 0x02, \
				      struct ps_residency)

static struct ps_device *ps_from_file(struct file *file)
{
	return container_of(file->private_data, struct ps_device, misc);
}

static int ps_open(struct inode *inode, struct file *file)
{
	/* misc_open() holds misc_mtx, which misc_deregister() takes too, so
	 * the device cannot be freed under us here.
	 */
	kref_get(&ps_from_file(file)->ref);
	return 0;
}

static int ps_release(struct inode *inode, struct file *file)
{
	ps_device_put(ps_from_file(file));
	return 0;
}

static bool ps_reserved_zero(const u64 *r, size_t n)
{
	while (n--)
		if (r[n])
			return false;
	return true;
}

/* A page-aligned, non-empty user range that does not wrap. */
static bool ps_range_ok(u64 start, u64 length)
{
	return length && PAGE_ALIGNED(start) && PAGE_ALIGNED(length) &&
	       start + length > start && start + length <= TASK_SIZE;
}

static long ps_ioc_info(struct ps_device *ps, void __user *arg)
{
	struct ps_info info = {
		.version = PS_UAPI_VERSION,
		.page_size = PAGE_SIZE,
		.bar_index = ps->bar.index,
		.pool_pages = ps->pool.nr_pages,
		.free_pages = ps_pool_nr_free(&ps->pool),
		.bar_bytes = ps->bar.size,
		.vram_bytes = ps->vram_size,
		.pool_offset = ps->layout.offset,
		.pci_domain = pci_domain_nr(ps->pdev->bus),
		.pci_bus = ps->pdev->bus->number,
		.pci_devfn = ps->pdev->devfn,
	};

	if (ps_thp_select())
		info.flags |= PS_INFO_DEVICE_THP;
	info.copy_mode = READ_ONCE(ps->copy_mode);
	info.copy_engine = PS_COPY_CPU;
	if (ps_copy_uses_dma(ps)) {
		info.copy_engine = PS_COPY_DMA;
		info.flags |= PS_INFO_DMA;
	}
	if (ps->nvidia)
		info.flags |= PS_INFO_NVIDIA;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ps_ioc_migrate(struct ps_device *ps, void __user *arg)
{
	struct ps_migrate req;
	struct mm_struct *mm;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!ps_range_ok(req.start, req.length) ||
	    (req.flags & ~PS_MIGRATE_FLAGS) ||
	    (req.direction != PS_TO_VRAM && req.direction != PS_TO_RAM) ||
	    (!(req.flags & PS_MIGRATE_PIDFD) && req.pidfd) || req.reserved32 ||
	    req.pinned ||
	    !ps_reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;
	if (req.direction == PS_TO_RAM ?
	    req.flags & (PS_MIGRATE_NO_EVICT | PS_MIGRATE_PIN |
			 PS_MIGRATE_UNPIN) :
	    req.flags & PS_MIGRATE_ASYNC)
		return -EINVAL;
	if ((req.flags & PS_MIGRATE_PIN) && (req.flags & PS_MIGRATE_UNPIN))
		return -EINVAL;
	req.migrated = 0;
	req.skipped_absent = 0;
	req.skipped_unmovable = 0;
	req.skipped_no_space = 0;
	req.skipped_elsewhere = 0;
	mm = ps_target_mm(req.flags & PS_MIGRATE_PIDFD, req.pidfd);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	if (req.flags & PS_MIGRATE_ASYNC)
		ret = ps_migrate_async(ps, mm, &req);
	else
		ret = ps_migrate_range(ps, mm, &req);
	mmput(mm);
	/* Stopped early (unbind, sleep, a pin limit): say how far it got. */
	if (ret == -EBUSY || ret == -ENOSPC || ret == -ENOMEM)
		return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : ret;
	if (ret)
		return ret;
	if (req.direction == PS_TO_VRAM && ps_pool_below_low(&ps->pool))
		queue_work(ps->wq, &ps->evict_work);
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ps_ioc_residency(struct ps_device *ps, void __user *arg)
{
	struct ps_residency req;
	struct mm_struct *mm;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!ps_range_ok(req.start, req.length) || !req.states ||
	    (req.flags & ~PS_RES_FLAGS) ||
	    (!(req.flags & PS_RES_PIDFD) && req.pidfd) ||
	    !(req.flags & PS_RES_OFFSETS) != !req.offsets || req.swapped ||
	    req.reserved)
		return -EINVAL;
	/* Physical placement, like pagemap's frame numbers. */
	if ((req.flags & PS_RES_OFFSETS) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	memset(req.counts, 0, sizeof(req.counts));
	mm = ps_target_mm(req.flags & PS_RES_PIDFD, req.pidfd);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	ret = ps_residency(ps, mm, &req);
	mmput(mm);
	if (ret)
		return ret;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ps_ioc_old(struct ps_device *ps, unsigned int cmd)
{
	dev_warn_once(&ps->pdev->dev,
		      "%s: %s[%d] used ioctl 0x%08x of uapi version 3 or older (magic 0x%02x): rebuild it against uapi v%d (magic 0x%02x)\n",
		      ps->name, current->comm, task_pid_nr(current), cmd,
		      PS_OLD_IOC_MAGIC, PS_UAPI_VERSION, PS_IOC_MAGIC);
	return -EBADRQC;
}

static long ps_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ps_device *ps = ps_from_file(file);
	void __user *uarg = (void __user *)arg;
	long ret;

	down_read(&ps->state_lock);
	if (ps->dead) {
		ret = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case PS_IOC_INFO:
		ret = ps_ioc_info(ps, uarg);
		break;
	case PS_IOC_MIGRATE:
		/* VRAM does not keep its contents across system sleep. */
		ret = ps->suspended ? -EBUSY : ps_ioc_migrate(ps, uarg);
		break;
	case PS_IOC_RESIDENCY:
		ret = ps_ioc_residency(ps, uarg);
		break;
	case PS_OLD_IOC_INFO:
	case PS_OLD_IOC_MIGRATE:
	case PS_OLD_IOC_RESIDENCY:
		ret = ps_ioc_old(ps, cmd);
		break;
	default:
		ret = -ENOTTY;
	}
out:
	up_read(&ps->state_lock);
	return ret;
}

static const struct file_operations ps_fops = {
	.owner = THIS_MODULE,
	.open = ps_open,
	.release = ps_release,
	.unlocked_ioctl = ps_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/**
 * ps_chardev_add() - create /dev/pseudoscopicN for a device
 * @ps: the device, fully set up
 *
 * Context: process context (probe).
 * Return: 0 or a negative errno.
 */
int ps_chardev_add(struct ps_device *ps)
{
	int ret;

	ret = ps_device_id_get(ps);
	if (ret)
		return ret;
	snprintf(ps->name, sizeof(ps->name), PS_DRV_NAME "%d", ps->id);
	ps->misc.minor = MISC_DYNAMIC_MINOR;
	ps->misc.name = ps->name;
	ps->misc.fops = &ps_fops;
	ps->misc.parent = &ps->pdev->dev;
	ps->misc.mode = 0600;
	ret = misc_register(&ps->misc);
	if (ret)
		goto err_free_id;
	return 0;

err_free_id:
	ps_device_id_put(ps);
	return ret;
}

/**
 * ps_chardev_remove() - remove the node; open files get -ENODEV from now
 * @ps: the device
 *
 * Waits for ioctls in progress to finish.
 *
 * Context: process context (remove).
 */
void ps_chardev_remove(struct ps_device *ps)
{
	misc_deregister(&ps->misc);
	down_write(&ps->state_lock);
	WRITE_ONCE(ps->dead, true);	/* read unlocked by async work */
	up_write(&ps->state_lock);
	/* /dev/psblkN kept in RAM still uses the number; it frees it. */
	if (!ps_blkdev_in_ram(ps))
		ps_device_id_put(ps);
}
