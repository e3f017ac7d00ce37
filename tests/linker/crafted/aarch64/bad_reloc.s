// A stencil with a relocation kind the patcher does not support
// (R_AARCH64_MOVW_UABS_G0_NC): the extractor must fail and name ADD_F64_0.
	.section .text.jc_st_ADD_F64_0,"ax",@progbits
	.globl jc_st_ADD_F64_0
	.type jc_st_ADD_F64_0, %function
jc_st_ADD_F64_0:
	fadd v0.2d, v0.2d, v1.2d
	movk x6, #:abs_g0_nc:JC_HOLE_A
	b jc_cont
	.size jc_st_ADD_F64_0, .-jc_st_ADD_F64_0
	.section .note.GNU-stack,"",@progbits
