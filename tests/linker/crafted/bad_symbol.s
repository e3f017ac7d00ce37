# A stencil calling a function outside the allowlist (malloc): the
# extractor must fail and name SQRT_0.
	.section .text.jc_st_SQRT_0,"ax",@progbits
	.globl jc_st_SQRT_0
	.type jc_st_SQRT_0, @function
jc_st_SQRT_0:
	subq $8, %rsp
	call *malloc@GOTPCREL(%rip)
	addq $8, %rsp
	jmp jc_cont
	.size jc_st_SQRT_0, .-jc_st_SQRT_0
	.section .note.GNU-stack,"",@progbits
