// A stencil that returns although it should continue: the extractor must
// fail and name NOT_0.
	.section .text.jc_st_NOT_0,"ax",@progbits
	.globl jc_st_NOT_0
	.type jc_st_NOT_0, %function
jc_st_NOT_0:
	cbz x1, 1f
	b jc_cont
1:	ret
	.size jc_st_NOT_0, .-jc_st_NOT_0
	.section .note.GNU-stack,"",@progbits
