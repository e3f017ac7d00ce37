# A stencil with a relocation kind the patcher does not support
# (R_X86_64_GOTOFF64): the extractor must fail and name ADD_F64_0.
	.section .text.jc_st_ADD_F64_0,"ax",@progbits
	.globl jc_st_ADD_F64_0
	.type jc_st_ADD_F64_0, @function
jc_st_ADD_F64_0:
	vaddpd %ymm1, %ymm0, %ymm0
	.reloc ., R_X86_64_GOTOFF64, JC_HOLE_A
	movabsq $0, %rax
	jmp jc_cont
	.size jc_st_ADD_F64_0, .-jc_st_ADD_F64_0
	.section .note.GNU-stack,"",@progbits
