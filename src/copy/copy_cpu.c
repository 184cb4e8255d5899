// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU copy engine: page copies between RAM and the pool through the
 * write-combined BAR mapping, with the NASM streaming routines of
 * asm/copy_nt.asm (x86-64; memcpy_toio/memcpy_fromio elsewhere).  Copies
 * are issued one by one and completed together by ps_copy_wait(), so a
 * migration window pays for one fence.
 */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>
#ifdef CONFIG_X86_64
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#endif

#include <pseudoscopic/copy/copy_asm.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/mem/vram_addr.h>

/* SIMD sections are bounded so preemption is never off for long. */
#define PS_FPU_CHUNK	SZ_4K

/**
 * ps_copy_to_wc_fpu() - copy into write-combined memory with streaming stores
 * @dst: destination (WC mapping)
 * @src: source (RAM)
 * @len: bytes, any alignment
 *
 * Used by migrations and the block device.
 *
 * Context: process context; disables preemption for at most PS_FPU_CHUNK
 * bytes at a time.
 */
void ps_copy_to_wc_fpu(void __iomem *dst, const void *src, size_t len)
{
#ifdef CONFIG_X86_64
	while (len) {
		size_t n = min_t(size_t, len, PS_FPU_CHUNK);

		kernel_fpu_begin();
		ps_copy_to_wc((void __force *)dst, src, n);
		kernel_fpu_end();
		dst += n;
		src += n;
		len -= n;
	}
#else
	memcpy_toio(dst, src, len);
#endif
}
EXPORT_SYMBOL_IF_KUNIT(ps_copy_to_wc_fpu);

/**
 * ps_copy_from_wc_fpu() - copy out of write-combined memory with streaming
 *	loads
 * @dst: destination (RAM)
 * @src: source (WC mapping)
 * @len: bytes, any alignment
 *
 * Context: process context; disables preemption for at most PS_FPU_CHUNK
 * bytes at a time.
 */
void ps_copy_from_wc_fpu(void *dst, const void __iomem *src, size_t len)
{
#ifdef CONFIG_X86_64
	while (len) {
		size_t n = min_t(size_t, len, PS_FPU_CHUNK);

		kernel_fpu_begin();
		/* MOVNTDQA is SSE4.1; x86-64 only promises SSE2. */
		if (cpu_feature_enabled(X86_FEATURE_XMM4_1))
			ps_copy_from_wc(dst, (const void __force *)src, n);
		else
			ps_copy_from_wc_sse2(dst, (const void __force *)src, n);
		kernel_fpu_end();
		dst += n;
		src += n;
		len -= n;
	}
#else
	memcpy_fromio(dst, src, len);
#endif
}
EXPORT_SYMBOL_IF_KUNIT(ps_copy_from_wc_fpu);
#ifdef CONFIG_X86_64
/* KUnit sweeps the fallback on any CPU (tests/kunit/copy_test.c). */
EXPORT_SYMBOL_IF_KUNIT(ps_copy_from_wc_sse2);
#endif

/**
 * ps_copy_to_vram() - queue a copy of a RAM page into a device page
 * @ps: the device
 * @dpage: destination, one of @ps's device pages
 * @spage: source page in RAM
 *
 * Context: process context.
 */
void ps_copy_to_vram(struct ps_device *ps, struct page *dpage,
		     struct page *spage)
{
	void *src = kmap_local_page(spage);

	ps_copy_to_wc_fpu(ps_page_vram(ps, dpage), src, PAGE_SIZE);
	kunmap_local(src);
}

/**
 * ps_copy_from_vram() - copy a device page into a RAM page
 * @ps: the device
 * @dpage: destination page in RAM
 * @spage: source, one of @ps's device pages
 *
 * Reads are synchronous: the data is in @dpage on return.
 *
 * Context: process context.
 */
void ps_copy_from_vram(struct ps_device *ps, struct page *dpage,
		       struct page *spage)
{
	void *dst = kmap_local_page(dpage);

	ps_copy_from_wc_fpu(dst, ps_page_vram(ps, spage), PAGE_SIZE);
	kunmap_local(dst);
}

/**
 * ps_copy_wait() - complete every queued copy to VRAM
 * @ps: the device
 *
 * Context: process context.
 */
void ps_copy_wait(struct ps_device *ps)
{
	wmb();	/* drain the write-combining buffers to the device */
}
