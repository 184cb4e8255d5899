; SPDX-License-Identifier: GPL-2.0
;
; Copies between RAM and write-combined device memory (the VRAM BAR).
;
;   ps_copy_to_wc(dst, src, len)      streaming (non-temporal) stores: the
;                                     data goes to the WC buffers, not the
;                                     cache, 64 bytes at a time
;   ps_copy_from_wc(dst, src, len)    streaming loads (MOVNTDQA): WC reads
;                                     fetch whole lines into the streaming
;                                     buffers instead of single uncached words
;                                     (SSE4.1: callers check the CPU)
;   ps_copy_from_wc_sse2(dst, src, len)
;                                     the same with plain aligned loads
;                                     (MOVDQA), for CPUs without SSE4.1:
;                                     SSE2 is all x86-64 guarantees
;
; Both take any alignment and length: bytes before the first 16-byte boundary
; of the WC side and after the last 64-byte block are copied with rep movsb.
; Both end with SFENCE, so the copy is complete and ordered on return.
;
; Kernel rules: callers wrap these in kernel_fpu_begin()/kernel_fpu_end()
; (they use XMM0-XMM3) and bound the length so preemption stays off briefly.
; Only caller-saved registers are used and no stack.  Entry is ENDBR64 for
; IBT, and with return thunks (PS_RETHUNK) the return goes through
; __x86_return_thunk, as objtool requires of compiled code.

bits 64
default rel
section .text

%include "ps_ret.inc"

; Head: copy bytes with rep movsb until %1 (rdi or rsi) is 16-byte aligned
; or the length (rdx) runs out; leaves in rcx the number of 64-byte blocks.
%macro PS_ALIGN_HEAD 1
	mov	rcx, %1
	neg	rcx
	and	rcx, 15
	cmp	rcx, rdx
	cmova	rcx, rdx
	sub	rdx, rcx
	rep movsb
	mov	rcx, rdx
	shr	rcx, 6
%endmacro

; Tail: the bytes after the last 64-byte block, then the fence and return.
%macro PS_TAIL_RET 0
	mov	rcx, rdx
	and	rcx, 63
	rep movsb
	sfence
	PS_RET
%endmacro

; void ps_copy_to_wc(void *dst /* rdi, WC */, const void *src /* rsi */,
;                    size_t len /* rdx */)
PS_FUNC ps_copy_to_wc
	PS_ALIGN_HEAD rdi		; MOVNTDQ needs an aligned destination
	jz	.tail
.loop:
	movdqu	xmm0, [rsi]
	movdqu	xmm1, [rsi + 16]
	movdqu	xmm2, [rsi + 32]
	movdqu	xmm3, [rsi + 48]
	movntdq	[rdi], xmm0
	movntdq	[rdi + 16], xmm1
	movntdq	[rdi + 32], xmm2
	movntdq	[rdi + 48], xmm3
	add	rsi, 64
	add	rdi, 64
	dec	rcx
	jnz	.loop
.tail:
	PS_TAIL_RET
.end:

; The copy from WC memory, with %2 as its 16-byte aligned load: one
; routine, %1, per load instruction.
%macro PS_FROM_WC 2
PS_FUNC %1
	PS_ALIGN_HEAD rsi		; the aligned loads need an aligned source
	jz	.tail
.loop:
	%2	xmm0, [rsi]
	%2	xmm1, [rsi + 16]
	%2	xmm2, [rsi + 32]
	%2	xmm3, [rsi + 48]
	movdqu	[rdi], xmm0
	movdqu	[rdi + 16], xmm1
	movdqu	[rdi + 32], xmm2
	movdqu	[rdi + 48], xmm3
	add	rsi, 64
	add	rdi, 64
	dec	rcx
	jnz	.loop
.tail:
	PS_TAIL_RET
.end:
%endmacro

; void ps_copy_from_wc(void *dst /* rdi */, const void *src /* rsi, WC */,
;                      size_t len /* rdx */): MOVNTDQA, SSE4.1
PS_FROM_WC ps_copy_from_wc, movntdqa

; void ps_copy_from_wc_sse2(void *dst, const void *src, size_t len): MOVDQA
PS_FROM_WC ps_copy_from_wc_sse2, movdqa

section .note.GNU-stack noalloc noexec nowrite progbits
