// A stencil that jumps through a register (a jump table, or a tail call
// through a pointer): the extractor must fail and name ABS_F64_0.
	.section .text.jc_st_ABS_F64_0,"ax",@progbits
	.globl jc_st_ABS_F64_0
	.type jc_st_ABS_F64_0, %function
jc_st_ABS_F64_0:
	fabs v0.2d, v0.2d
	cbz x1, 1f
	br x2
1:	b jc_cont
	.size jc_st_ABS_F64_0, .-jc_st_ABS_F64_0
	.section .note.GNU-stack,"",@progbits
