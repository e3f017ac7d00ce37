// A stencil that reaches its continuation by call (GCC failed to make the
// tail call a jump): the extractor must fail and name NEG_F64_0.
	.section .text.jc_st_NEG_F64_0,"ax",@progbits
	.globl jc_st_NEG_F64_0
	.type jc_st_NEG_F64_0, %function
jc_st_NEG_F64_0:
	stp x29, x30, [sp, #-16]!
	bl jc_cont
	ldp x29, x30, [sp], #16
	ret
	.size jc_st_NEG_F64_0, .-jc_st_NEG_F64_0
	.section .note.GNU-stack,"",@progbits
