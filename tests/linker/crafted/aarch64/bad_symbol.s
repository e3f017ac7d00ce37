// A stencil calling a function outside the allowlist (malloc): the
// extractor must fail and name SQRT_0.
	.section .text.jc_st_SQRT_0,"ax",@progbits
	.globl jc_st_SQRT_0
	.type jc_st_SQRT_0, %function
jc_st_SQRT_0:
	stp x29, x30, [sp, #-16]!
	adrp x16, :got:malloc
	ldr x16, [x16, :got_lo12:malloc]
	blr x16
	ldp x29, x30, [sp], #16
	b jc_cont
	.size jc_st_SQRT_0, .-jc_st_SQRT_0
	.section .note.GNU-stack,"",@progbits
