/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_COPY_ASM_H
#define PS_COPY_ASM_H

#include <linux/types.h>

/*
 * NASM routines in asm/copy_nt.asm.  Call only between kernel_fpu_begin()
 * and kernel_fpu_end(), with bounded lengths (ps_copy_* in src/copy/copy_cpu.c
 * does both).  Any alignment and length; complete (SFENCE) on return.
 */
void ps_copy_to_wc(void *dst, const void *src, size_t len);
void ps_copy_from_wc(void *dst, const void *src, size_t len);	/* SSE4.1 */
void ps_copy_from_wc_sse2(void *dst, const void *src, size_t len);

/* The same with the FPU section and chunking done (src/copy/copy_cpu.c). */
void ps_copy_to_wc_fpu(void __iomem *dst, const void *src, size_t len);
void ps_copy_from_wc_fpu(void *dst, const void __iomem *src, size_t len);

#endif /* PS_COPY_ASM_H */
