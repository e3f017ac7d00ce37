// A value hole whose `add :lo12:` does not take the register its `adrp`
// defined: rewriting the adrp into a movz would leave x7 wrong, so the
// extractor must fail and name LOADC_64_0.
	.section .text.jc_st_LOADC_64_0,"ax",@progbits
	.globl jc_st_LOADC_64_0
	.type jc_st_LOADC_64_0, %function
jc_st_LOADC_64_0:
	adrp x6, JC_HOLE_A
	add x7, x5, :lo12:JC_HOLE_A
	ldr x7, [x7, x0]
	ldr q0, [x7, x1, lsl #4]
	b jc_cont
	.size jc_st_LOADC_64_0, .-jc_st_LOADC_64_0
	.section .note.GNU-stack,"",@progbits
