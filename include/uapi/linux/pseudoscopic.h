/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * pseudoscopic: GPU VRAM as a tier of system memory.
 * Userspace interface of /dev/pseudoscopicN.
 *
 * Every structure is 64-bit clean (no implicit padding, same layout for
 * 32- and 64-bit callers) and ends in reserved words that callers must
 * zero and the kernel checks, so the interface can grow.  The version in
 * struct ps_info says which fields exist.
 */
#ifndef _UAPI_LINUX_PSEUDOSCOPIC_H
#define _UAPI_LINUX_PSEUDOSCOPIC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Version 1: INFO, MIGRATE, RESIDENCY of the caller's own memory.
 * Version 2: another process through a pidfd (PS_MIGRATE_PIDFD,
 * PS_RES_PIDFD), per-page BAR offsets (PS_RES_OFFSETS), the copy engine in
 * struct ps_info.  The new fields were reserved (zero) words in version 1,
 * so version 1 callers keep working unchanged.
 * Version 3: swapped-out pages told apart from unpopulated ones
 * (PS_RES_SWAP, PS_RES_SWAPPED, struct ps_residency.swapped), again in a
 * word that was reserved; callers that do not ask see version 2 states.
 * Version 4: the ioctls moved from magic 0xB5, which the kernel's
 * ioctl-number.rst registers to rpmsg, to 0xB9 (free there); the structures
 * are unchanged.  A program built against versions 1-3 gets EBADRQC for
 * the old numbers, never another driver's ioctl: rebuild it against this
 * header.  Also new: PS_MIGRATE_UNPIN and struct ps_migrate.pinned,
 * limits on pinned pages (per device, and charged to the pinned process
 * against the caller's RLIMIT_MEMLOCK) and on queued PS_MIGRATE_ASYNC
 * requests; PS_IOC_RESIDENCY reports pages of PROT_NONE mappings and
 * other drivers' device pages where they are.
 */
#define PS_UAPI_VERSION		4

/* struct ps_info.flags */
#define PS_INFO_DEVICE_THP	(1U << 0)	/* THPs move as 2 MiB device folios */
#define PS_INFO_DMA		(1U << 1)	/* a DMA_MEMCPY channel is in use */
#define PS_INFO_NVIDIA		(1U << 2)	/* an NVIDIA GPU (not generic) */

/* struct ps_info.copy_mode: what the copy_engine parameter asked for */
#define PS_COPY_MODE_AUTO	0	/* DMA when a channel exists, else CPU */
#define PS_COPY_MODE_CPU	1
#define PS_COPY_MODE_DMA	2

/* struct ps_info.copy_engine: what migrations use now */
#define PS_COPY_CPU		1	/* NASM non-temporal copies */
#define PS_COPY_DMA		2	/* a dmaengine DMA_MEMCPY channel */

/**
 * struct ps_info - PS_IOC_INFO: what the device is (all fields out)
 * @version: PS_UAPI_VERSION of the driver
 * @flags: PS_INFO_*
 * @page_size: size of a pool page in bytes
 * @bar_index: PCI BAR holding the pool
 * @pool_pages: pages in the pool
 * @free_pages: pages not holding data, at the time of the call
 * @bar_bytes: size of the BAR
 * @vram_bytes: memory behind the BAR
 * @pool_offset: BAR offset of pool page 0
 * @pci_domain: PCI address of the device: domain...
 * @pci_bus: ...bus...
 * @pci_devfn: ...device << 3 | function
 * @copy_engine: PS_COPY_CPU or PS_COPY_DMA, in use now (version 2)
 * @copy_mode: PS_COPY_MODE_*, as requested (version 2)
 * @reserved: zero
 */
struct ps_info {
	__u32 version;
	__u32 flags;
	__u32 page_size;
	__u32 bar_index;
	__u64 pool_pages;
	__u64 free_pages;
	__u64 bar_bytes;
	__u64 vram_bytes;
	__u64 pool_offset;
	__u32 pci_domain;
	__u16 pci_bus;
	__u16 pci_devfn;
	__u32 copy_engine;
	__u32 copy_mode;
	__u64 reserved[7];
};

/* struct ps_migrate.direction */
#define PS_TO_VRAM		1
#define PS_TO_RAM		2

/*
 * struct ps_migrate.flags
 * PS_MIGRATE_ASYNC:    PS_TO_RAM only: start the prefetch and return at once
 *                      (the counters stay zero)
 * PS_MIGRATE_NO_EVICT: PS_TO_VRAM only: on a full pool skip pages instead of
 *                      evicting older ones
 * PS_MIGRATE_PIN:      PS_TO_VRAM only: the pages are never chosen for
 *                      eviction (they still return on a CPU touch); pages
 *                      already in this device's VRAM are pinned in place.
 *                      Pins are limited per device (ENOSPC) and charged to
 *                      the pinned process (VmPin) against the caller's
 *                      RLIMIT_MEMLOCK (ENOMEM), version 4
 * PS_MIGRATE_UNPIN:    PS_TO_VRAM only, version 4: pages of the range that
 *                      are pinned in this device's VRAM become evictable
 *                      again and their charge is returned; nothing moves
 * PS_MIGRATE_PIDFD:    act on the process @pidfd refers to instead of the
 *                      caller (version 2); the caller needs the rights
 *                      ptrace(PTRACE_MODE_ATTACH_REALCREDS) would need,
 *                      see Documentation/uapi.md
 */
#define PS_MIGRATE_ASYNC	(1U << 0)
#define PS_MIGRATE_NO_EVICT	(1U << 1)
#define PS_MIGRATE_PIN		(1U << 2)
#define PS_MIGRATE_PIDFD	(1U << 3)
#define PS_MIGRATE_UNPIN	(1U << 4)
#define PS_MIGRATE_FLAGS	(PS_MIGRATE_ASYNC | PS_MIGRATE_NO_EVICT | \
				 PS_MIGRATE_PIN | PS_MIGRATE_PIDFD | \
				 PS_MIGRATE_UNPIN)

/**
 * struct ps_migrate - PS_IOC_MIGRATE: move a range of a process's memory
 * @start: first byte, page aligned (in)
 * @length: bytes, a non-zero multiple of the page size (in)
 * @direction: PS_TO_VRAM or PS_TO_RAM (in)
 * @flags: PS_MIGRATE_* (in)
 * @migrated: pages moved (out)
 * @skipped_absent: pages not populated or outside any mapping (out)
 * @skipped_unmovable: pages the kernel would not move: file-backed,
 *	held by get_user_pages() or pinned, locked, busy, or swapped out (out)
 * @skipped_no_space: pages left behind because the pool was full and
 *	nothing could be evicted (or PS_MIGRATE_NO_EVICT), or RAM ran out (out)
 * @skipped_elsewhere: pages already where they were asked to go, or in
 *	another device's memory (out)
 * @pidfd: with PS_MIGRATE_PIDFD, a pidfd of the target process (in)
 * @reserved32: zero
 * @pinned: pages pinned (PS_MIGRATE_PIN) or unpinned (PS_MIGRATE_UNPIN)
 *	by this call (out, version 4; zero in)
 * @reserved: zero
 *
 * Pages of anonymous private mappings move; everything else (shared or
 * file-backed mappings, pinned pages) is skipped and counted by reason.
 * When the pool is full, the least recently migrated unpinned pages are
 * evicted to RAM to make room.  The call returns 0 even if nothing moved;
 * the counters say why.  PS_MIGRATE_ASYNC requests queued per device are
 * limited: beyond the limit the call fails with EAGAIN.
 */
struct ps_migrate {
	__u64 start;
	__u64 length;
	__u32 direction;
	__u32 flags;
	__u64 migrated;
	__u64 skipped_absent;
	__u64 skipped_unmovable;
	__u64 skipped_no_space;
	__u64 skipped_elsewhere;
	__s32 pidfd;
	__u32 reserved32;
	__u64 pinned;
	__u64 reserved[4];
};

/* One byte per page in the array PS_IOC_RESIDENCY fills. */
#define PS_RES_ABSENT		0	/* not populated (or swapped, see below) */
#define PS_RES_RAM		1	/* in system RAM */
#define PS_RES_DEVICE		2	/* in this device's VRAM */
#define PS_RES_OTHER		3	/* present, neither (another device) */
#define PS_RES_SWAPPED		4	/* swapped out; only with PS_RES_SWAP */
/* States counted in struct ps_residency.counts (PS_RES_SWAPPED: .swapped) */
#define PS_RES_NR_STATES	4

/*
 * struct ps_residency.flags
 * PS_RES_PIDFD:   the target is the process @pidfd refers to
 * PS_RES_OFFSETS: fill @offsets (CAP_SYS_ADMIN)
 * PS_RES_SWAP:    report pages of anonymous private mappings that are
 *                 swapped out as PS_RES_SWAPPED and count them in @swapped
 *                 (version 3); without it they read as PS_RES_ABSENT
 */
#define PS_RES_PIDFD		(1U << 0)
#define PS_RES_OFFSETS		(1U << 1)
#define PS_RES_SWAP		(1U << 2)
#define PS_RES_FLAGS		(PS_RES_PIDFD | PS_RES_OFFSETS | PS_RES_SWAP)

/* An @offsets entry of a page that is not in this device's VRAM. */
#define PS_RES_NO_OFFSET	(~0ULL)

/**
 * struct ps_residency - PS_IOC_RESIDENCY: where each page of a range is
 * @start: first byte, page aligned (in)
 * @length: bytes, a non-zero multiple of the page size (in)
 * @states: user pointer to length / page size bytes, one PS_RES_* each
 *	(filled in)
 * @counts: pages in each state PS_RES_ABSENT..PS_RES_OTHER (out)
 * @pidfd: with PS_RES_PIDFD, a pidfd of the target process (in)
 * @flags: PS_RES_* (in)
 * @offsets: with PS_RES_OFFSETS, user pointer to length / page size
 *	__u64s: the BAR offset of each PS_RES_DEVICE page, PS_RES_NO_OFFSET
 *	for the others (filled in).  Offsets are physical placement, so they
 *	need CAP_SYS_ADMIN, like the frame numbers of /proc/PID/pagemap.
 * @swapped: with PS_RES_SWAP, pages in state PS_RES_SWAPPED (out,
 *	version 3; zero in)
 * @reserved: zero
 *
 * Looking does not move or populate anything.
 */
struct ps_residency {
	__u64 start;
	__u64 length;
	__u64 states;
	__u64 counts[PS_RES_NR_STATES];
	__s32 pidfd;
	__u32 flags;
	__u64 offsets;
	__u64 swapped;
	__u64 reserved;
};

/* Version 4 on; versions 1-3 used 0xb5 (see PS_UAPI_VERSION). */
#define PS_IOC_MAGIC		0xb9
#define PS_IOC_INFO		_IOR(PS_IOC_MAGIC, 0x00, struct ps_info)
#define PS_IOC_MIGRATE		_IOWR(PS_IOC_MAGIC, 0x01, struct ps_migrate)
#define PS_IOC_RESIDENCY	_IOWR(PS_IOC_MAGIC, 0x02, struct ps_residency)

#endif /* _UAPI_LINUX_PSEUDOSCOPIC_H */
