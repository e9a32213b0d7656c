// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-probe: what the VM tests need that busybox cannot do.
 *
 *   ksplice-probe getdents-efault DIR
 *	getdents64 into an unmapped buffer: the kernel must fault on the
 *	user write, fix it up through __ex_table and return EFAULT.
 *	Prints "EFAULT" and exits 0 when it did.
 *
 *   ksplice-probe without-cap-sys-module FILE TEXT
 *	Drops CAP_SYS_MODULE (root keeps every other capability), then
 *	writes TEXT to FILE. Prints "EPERM" and exits 0 when the write is
 *	refused with EPERM.
 *
 *   ksplice-probe write-zero FD
 *	write(FD, "", 0). Prints 0, or the name of the error (EBADF).
 *
 *   ksplice-probe veto ADDR SECONDS
 *	As an unprivileged user (uid and gid 65534), spins for SECONDS
 *	with ADDR (hex, a kernel address) in thirteen general registers:
 *	what a user who wants to veto a patch can put on its own kernel
 *	stack when the stopper preempts it. Prints "spinning" first.
 *
 *   ksplice-probe threads N SECONDS
 *	N threads that, for SECONDS, each create a thread and join it, over
 *	and over: exiting threads reap themselves and leave the task list
 *	before they are done. Prints how many threads came and went.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <pthread.h>
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

static int without_cap_sys_module(const char *path, const char *text)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	unsigned int word = CAP_SYS_MODULE / 32, bit = 1u << (CAP_SYS_MODULE % 32);
	int fd;

	if (syscall(SYS_capget, &header, data)) {
		perror("capget");
		return 2;
	}
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	if (syscall(SYS_capset, &header, data)) {
		perror("capset");
		return 2;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	if (write(fd, text, strlen(text)) >= 0) {
		printf("the write of %s to %s succeeded\n", text, path);
		return 1;
	}
	if (errno != EPERM) {
		printf("the write failed with %s, not EPERM\n", strerror(errno));
		return 1;
	}
	printf("EPERM\n");
	return 0;
}

static int write_zero(const char *fd)
{
	if (write(atoi(fd), "", 0) == 0) {
		printf("0\n");
		return 0;
	}
	printf("%s\n", errno == EBADF ? "EBADF" : strerror(errno));
	return 0;
}

static int veto(const char *addr_text, const char *seconds)
{
	unsigned long addr = strtoul(addr_text, NULL, 16);
	time_t until = time(NULL) + atoi(seconds);

	if (setgid(65534) || setuid(65534)) {
		perror("setuid");
		return 2;
	}
	printf("spinning\n");
	fflush(stdout);
	while (time(NULL) < until) {
		unsigned long n = 10000000;

#if defined(__aarch64__)
		__asm__ volatile(
			"mov x1, %[a]\n\tmov x2, %[a]\n\tmov x3, %[a]\n\t"
			"mov x4, %[a]\n\tmov x5, %[a]\n\tmov x6, %[a]\n\t"
			"mov x7, %[a]\n\tmov x8, %[a]\n\tmov x9, %[a]\n\t"
			"mov x10, %[a]\n\tmov x11, %[a]\n\tmov x12, %[a]\n\t"
			"mov x13, %[a]\n\tmov x14, %[a]\n\tmov x15, %[a]\n\t"
			"mov x19, %[a]\n\tmov x20, %[a]\n\tmov x21, %[a]\n\t"
			"mov x22, %[a]\n\tmov x23, %[a]\n\tmov x24, %[a]\n\t"
			"mov x25, %[a]\n\tmov x26, %[a]\n\tmov x27, %[a]\n\t"
			"mov x28, %[a]\n\tmov x30, %[a]\n"
			"1:\tsubs %[n], %[n], #1\n\tb.ne 1b\n"
			: [n] "+r"(n)
			: [a] "r"(addr)
			: "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
			  "x10", "x11", "x12", "x13", "x14", "x15", "x19", "x20",
			  "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
			  "x30", "cc", "memory");
#else
		__asm__ volatile(
			"mov %[a], %%rbx\n\tmov %[a], %%rcx\n\tmov %[a], %%rdx\n\t"
			"mov %[a], %%rsi\n\tmov %[a], %%rdi\n\tmov %[a], %%r8\n\t"
			"mov %[a], %%r9\n\tmov %[a], %%r10\n\tmov %[a], %%r11\n\t"
			"mov %[a], %%r12\n\tmov %[a], %%r13\n\tmov %[a], %%r14\n\t"
			"mov %[a], %%r15\n"
			"1:\tdecq %[n]\n\tjnz 1b\n"
			: [n] "+m"(n)
			: [a] "a"(addr)
			: "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
			  "r11", "r12", "r13", "r14", "r15", "memory");
#endif
	}
	return 0;
}

static time_t threads_until;

static void *exit_at_once(void *arg)
{
	return arg;
}

static void *create_and_join(void *arg)
{
	unsigned long *count = arg;
	pthread_t t;

	while (time(NULL) < threads_until) {
		if (pthread_create(&t, NULL, exit_at_once, NULL))
			continue;
		pthread_join(t, NULL);
		(*count)++;
	}
	return NULL;
}

static int threads(const char *n_text, const char *seconds)
{
	int i, n = atoi(n_text);
	unsigned long counts[64] = { 0 }, total = 0;
	pthread_t workers[64];

	if (n < 1 || n > 64)
		return 2;
	threads_until = time(NULL) + atoi(seconds);
	for (i = 0; i < n; i++)
		if (pthread_create(&workers[i], NULL, create_and_join, &counts[i]))
			return 2;
	for (i = 0; i < n; i++) {
		pthread_join(workers[i], NULL);
		total += counts[i];
	}
	printf("%lu threads\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "threads"))
		return threads(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "write-zero"))
		return write_zero(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "veto"))
		return veto(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "getdents-efault"))
		return getdents_efault(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "without-cap-sys-module"))
		return without_cap_sys_module(argv[2], argv[3]);
	fprintf(stderr, "usage: ksplice-probe getdents-efault DIR\n"
		"       ksplice-probe without-cap-sys-module FILE TEXT\n"
		"       ksplice-probe write-zero FD\n"
		"       ksplice-probe veto ADDR SECONDS\n"
		"       ksplice-probe threads N SECONDS\n");
	return 2;
}
