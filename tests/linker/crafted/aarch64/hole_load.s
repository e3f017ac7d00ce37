// A value hole used as an address (a load from :lo12:JC_HOLE_A): the hole is
// a number, not memory near the code; the extractor must fail and name
// SCALAR_64_0.
	.section .text.jc_st_SCALAR_64_0,"ax",@progbits
	.globl jc_st_SCALAR_64_0
	.type jc_st_SCALAR_64_0, %function
jc_st_SCALAR_64_0:
	adrp x6, JC_HOLE_A
	ldr x6, [x6, :lo12:JC_HOLE_A]
	dup v0.2d, x6
	b jc_cont
	.size jc_st_SCALAR_64_0, .-jc_st_SCALAR_64_0
	.section .note.GNU-stack,"",@progbits
