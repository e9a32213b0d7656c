// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-probe: what the VM tests need that busybox cannot do.
 *
 *   ksplice-probe getdents-efault DIR
 *	getdents64 into an unmapped buffer: the kernel must fault on the
 *	user write, fix it up through __ex_table and return EFAULT.
 *	Prints "EFAULT" and exits 0 when it did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int getdents_efault(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	void *page;
	long n;

	if (fd < 0) {
		perror(dir);
		return 2;
	}
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	n = syscall(SYS_getdents64, fd, page, 4096);
	if (n >= 0 || errno != EFAULT) {
		printf("getdents64 returned %ld (%s), not EFAULT\n", n, strerror(errno));
		return 1;
	}
	printf("EFAULT\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "getdents-efault"))
		return getdents_efault(argv[2]);
	fprintf(stderr, "usage: ksplice-probe getdents-efault DIR\n");
	return 2;
}
