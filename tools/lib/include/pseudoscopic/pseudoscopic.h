/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libpseudoscopic's C interface: open a device, move a range of a process
 * (the caller, or another one through a pidfd) to VRAM or back, and ask
 * where its pages are.  The same library the pseudoscopic tools use.
 *
 *	cc prog.c $(pkg-config --cflags --libs pseudoscopic)
 *
 * Every function that can fail returns 0 or a negative errno (PS_IOC_*
 * errors as Documentation/uapi.md describes them); none throws, none
 * exits.  Pointers passed in are only read during the call.
 */
#ifndef PSEUDOSCOPIC_PSEUDOSCOPIC_H
#define PSEUDOSCOPIC_PSEUDOSCOPIC_H

/* A C header: the C names. */
#include <stdint.h> /* NOLINT(modernize-deprecated-headers) */
#include <sys/types.h>

#include <linux/pseudoscopic.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open /dev/pseudoscopicN. */
struct ps_dev;

/* The library's version ("0.1.0"): dkms.conf's PACKAGE_VERSION. */
const char *ps_lib_version(void);

/*
 * Open a device node, or the first of /dev/pseudoscopic0, 1, ... when
 * node is NULL.  On failure returns NULL with errno set (ENOENT: no
 * device; EACCES: not in the pseudoscopic group).
 */
struct ps_dev *ps_dev_open(const char *node);
void ps_dev_close(struct ps_dev *dev);

/* The node's path, valid until ps_dev_close(). */
const char *ps_dev_path(const struct ps_dev *dev);

/* PS_IOC_INFO: the device's page size, pool, version, copy engine. */
int ps_dev_info(const struct ps_dev *dev, struct ps_info *info);

/* What a move did, in pages (summed over the calls it took). */
struct ps_move_result {
	uint64_t requested;
	uint64_t migrated;
	uint64_t absent;	/* not populated */
	uint64_t unmovable;	/* pinned by someone, file-backed, ... */
	uint64_t pinned;	/* with PS_MIGRATE_PIN or _UNPIN */
	uint64_t no_space;	/* the pool was full (PS_MIGRATE_NO_EVICT) */
	uint64_t elsewhere;	/* already where asked, or on another device */
};

/*
 * Move [start, start + length) of the process behind pidfd (-1: the
 * caller) to PS_TO_VRAM or PS_TO_RAM, with PS_MIGRATE_* flags.  Page
 * aligned.  result may be NULL.
 */
int ps_move(const struct ps_dev *dev, int pidfd, uint64_t start, uint64_t length, uint32_t direction,
	    uint32_t flags, struct ps_move_result *result);

/* Where the pages of a range are, in pages. */
struct ps_where_counts {
	uint64_t vram;		/* in this device */
	uint64_t ram;
	uint64_t other;		/* another device's memory */
	uint64_t swapped;
	uint64_t absent;	/* never touched, or discarded */
};

/*
 * Count the pages of [start, start + length) of the process behind pidfd
 * (-1 and pid 0: the caller) by where they are.
 */
int ps_where(const struct ps_dev *dev, int pidfd, pid_t pid, uint64_t start, uint64_t length,
	     struct ps_where_counts *where);

/* Devices bound to the driver (from sysfs), or a negative errno. */
int ps_device_count(void);

#ifdef __cplusplus
}
#endif

#endif /* PSEUDOSCOPIC_PSEUDOSCOPIC_H */
