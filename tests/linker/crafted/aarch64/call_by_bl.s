// A call by `bl` (what GCC emits without -fno-plt: CALL26, ±128 MiB, which
// SLEEF in a shared library never is): the extractor accepts it and sends
// the call through a trampoline it appends (adrp/ldr of the function's GOT
// slot, br x16).
	.section .text.jc_st_EXP_0,"ax",@progbits
	.globl jc_st_EXP_0
	.type jc_st_EXP_0, %function
jc_st_EXP_0:
	stp x29, x30, [sp, #-16]!
	bl Sleef_cinz_expd2_u10advsimdnofma
	ldp x29, x30, [sp], #16
	b jc_cont
	.size jc_st_EXP_0, .-jc_st_EXP_0
	.section .note.GNU-stack,"",@progbits
