// A well-formed stencil: the extractor accepts it (--partial), so the
// failures above are about what they test, not about the harness.
	.section .text.jc_st_ADD_F64_0,"ax",@progbits
	.globl jc_st_ADD_F64_0
	.type jc_st_ADD_F64_0, %function
jc_st_ADD_F64_0:
	fadd v0.2d, v0.2d, v1.2d
	b jc_cont
	.size jc_st_ADD_F64_0, .-jc_st_ADD_F64_0
	.section .note.GNU-stack,"",@progbits
