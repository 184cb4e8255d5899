// SPDX-License-Identifier: GPL-2.0
/*
 * vm-exit CODE: leave QEMU with a status through the isa-debug-exit device
 * (port 0xf4).  QEMU exits with (CODE << 1) | 1.  tinyconfig kernels have
 * no ACPI, so poweroff would only halt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;

	if (ioperm(0xf4, 4, 1)) {
		perror("vm-exit: ioperm");
		return 1;
	}
	outl((unsigned int)code & 0x7f, 0xf4);
	perror("vm-exit: still running after isa-debug-exit");
	return 1;
}
