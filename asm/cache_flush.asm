; SPDX-License-Identifier: GPL-2.0
;
; Cache maintenance over a byte range, one routine per instruction:
;
;   u64 ps_cache_clflush(const void *addr, size_t len, size_t line)
;   u64 ps_cache_clflushopt(const void *addr, size_t len, size_t line)
;   u64 ps_cache_clwb(const void *addr, size_t len, size_t line)
;
; Each issues its instruction once for every cache line the range
; [addr, addr + len) touches (the first line is addr rounded down to a
; multiple of line; nothing is touched when len is 0) and returns the
; number of lines it processed.  line must be a power of two (the CPU's
; CLFLUSH line size, boot_cpu_data.x86_clflush_size); the C wrapper in
; src/copy/cache_flush.c checks it.  The range must be mapped: the instructions
; fault like a load on an unmapped address.
;
; What each leaves behind, and ordering (Intel SDM vol. 2, CLFLUSH,
; CLFLUSHOPT, CLWB):
;
;   clflush      writes back dirty lines and invalidates them in every
;                cache.  CLFLUSH is ordered with older writes, other
;                CLFLUSHes and fences, but not with later loads: the
;                routine ends with MFENCE, so every line is out of the
;                caches before any later load or store (the kernel's
;                clflush_cache_range() fences the same way).
;   clflushopt   the same result, but weakly ordered: only older writes to
;                the same line order it.  Ends with SFENCE, which orders
;                every flush before later stores and makes it globally
;                visible.
;   clwb         writes back dirty lines and may keep them cached (so a
;                later read can still hit); same ordering as CLFLUSHOPT,
;                ends with SFENCE.
;
; A store the caller made to a line before the call is always written back
; by it (same-line ordering holds for all three), so no leading fence is
; needed.
;
; Kernel rules: no SIMD (no kernel_fpu_begin needed), no stack, only
; caller-saved registers.  Entry is ENDBR64 for IBT, the return goes
; through the return thunk when the kernel uses one (asm/ps_ret.inc), and
; symbols carry ELF function type and size, so objtool checks them like
; compiled code.

bits 64
default rel
section .text

%include "ps_ret.inc"

; PS_CACHE_ROUTINE name, instruction, fence
;   rdi = addr, rsi = len, rdx = line (power of two); returns rax = lines
%macro PS_CACHE_ROUTINE 3
PS_FUNC %1
	xor	eax, eax
	test	rsi, rsi
	jz	.done			; empty range: no line, no fence needed
	lea	rcx, [rdi + rsi - 1]	; last byte of the range
	mov	r8, rdx
	neg	r8			; ~(line - 1)
	and	rdi, r8			; first line
	and	rcx, r8			; last line
	sub	rcx, rdi		; distance between them in bytes
	mov	r9, rcx
	bsf	rcx, rdx		; log2(line) into cl
	shr	r9, cl
	lea	rax, [r9 + 1]		; lines to process (the return value)
	mov	rcx, rax
.loop:
	%2	[rdi]
	add	rdi, rdx
	dec	rcx
	jnz	.loop
	%3
.done:
	PS_RET
.end:
%endmacro

PS_CACHE_ROUTINE ps_cache_clflush, clflush, mfence
PS_CACHE_ROUTINE ps_cache_clflushopt, clflushopt, sfence
PS_CACHE_ROUTINE ps_cache_clwb, clwb, sfence

section .note.GNU-stack noalloc noexec nowrite progbits
