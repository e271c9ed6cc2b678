/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by every zxsocket selftest, whether it talks to the module
 * through raw ioctls or through libzxsocket: clocks, data patterns, memory
 * that faults on purpose, a way to tell that a thread is asleep, and fd
 * passing over AF_UNIX (SCM_RIGHTS).
 *
 * Nothing here uses the kselftest harness macros, so the helpers also work
 * in helper threads and forked children, where ASSERT_*() must not be used.
 */
#ifndef ZXS_TEST_COMMON_H
#define ZXS_TEST_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define ZXS_NSEC_PER_MSEC	1000000LL
#define ZXS_NSEC_PER_SEC	1000000000LL

/*
 * Deadline for something that must happen (a wakeup, a child finishing).
 * It is only ever reached when the test fails, so it can be generous enough
 * for a loaded QEMU TCG guest.
 */
#define ZXS_LONG_NS		(10 * ZXS_NSEC_PER_SEC)

/*
 * Deadline for a wait that must time out.  Short, because every such wait
 * costs its full length; the tests check that at least this much time went
 * by, never that little more did.
 */
#define ZXS_SHORT_NS		(20 * ZXS_NSEC_PER_MSEC)

/* How long to let an event that must not happen have its chance. */
#define ZXS_SETTLE_NS		(50 * ZXS_NSEC_PER_MSEC)

static inline int64_t zxs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * ZXS_NSEC_PER_SEC + ts.tv_nsec;
}

static inline void zxs_sleep_ns(int64_t ns)
{
	struct timespec ts = {
		.tv_sec = ns / ZXS_NSEC_PER_SEC,
		.tv_nsec = ns % ZXS_NSEC_PER_SEC,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline bool zxs_fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

/*
 * The number the next open() will get.  Calls that fail must not leak fds,
 * and comparing this before and after is how the tests notice one.
 */
static inline int zxs_lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* An fd number that is certainly not open right now. */
static inline int zxs_closed_fd(void)
{
	int fd;

	for (fd = 900; fd > 100; fd--)
		if (!zxs_fd_is_open(fd))
			return fd;
	return -1;
}

/*
 * Data patterns.  Byte @pos of stream @seed is a function of both, so a
 * reader can check any chunk at any offset without keeping a copy, and a
 * lost, repeated or reordered chunk shows up as a mismatch (the pattern has
 * no short period, unlike a counter).
 */
static inline uint64_t zxs_mix64(uint64_t x)
{
	/* splitmix64's finaliser */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint8_t zxs_pattern_byte(uint64_t seed, uint64_t pos)
{
	uint64_t word = zxs_mix64((seed << 40) ^ (pos >> 3));

	return (uint8_t)(word >> ((pos & 7) * 8));
}

static inline void zxs_pattern_fill(void *buf, size_t len, uint64_t seed,
				    uint64_t pos)
{
	uint64_t word = zxs_mix64((seed << 40) ^ (pos >> 3));
	uint8_t *p = buf;
	size_t i;

	/* One hash per 8 bytes: this runs over megabytes under TCG. */
	for (i = 0; i < len; i++, pos++) {
		if (i && !(pos & 7))
			word = zxs_mix64((seed << 40) ^ (pos >> 3));
		p[i] = (uint8_t)(word >> ((pos & 7) * 8));
	}
}

/* Index of the first byte that is not the pattern, or -1 if all match. */
static inline ssize_t zxs_pattern_check(const void *buf, size_t len,
					uint64_t seed, uint64_t pos)
{
	uint64_t word = zxs_mix64((seed << 40) ^ (pos >> 3));
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++, pos++) {
		if (i && !(pos & 7))
			word = zxs_mix64((seed << 40) ^ (pos >> 3));
		if (p[i] != (uint8_t)(word >> ((pos & 7) * 8)))
			return (ssize_t)i;
	}
	return -1;
}

/* A small deterministic generator for sizes in the stress tests. */
static inline uint32_t zxs_rand(uint64_t *state)
{
	*state = zxs_mix64(*state);
	return (uint32_t)(*state >> 32);
}

/*
 * Memory that faults.  The tests pass these as data buffers and argument
 * structs to check that the module answers a fault with an error instead
 * of half-doing the call.
 */
static inline size_t zxs_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* An address with nothing mapped: a page mapped and unmapped again. */
static inline void *zxs_unmapped_page(void)
{
	void *p = mmap(NULL, zxs_page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, zxs_page_size());
	return p;
}

/*
 * Two pages: the first readable and writable, the second unmapped.  A
 * buffer that starts in the first page and runs into the second is partly
 * valid, which catches a module that copies as far as it can and then
 * keeps the part it got.
 */
static inline uint8_t *zxs_half_mapped_pages(void)
{
	size_t pg = zxs_page_size();
	uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + pg, pg);
	return p;
}

/* A page holding a copy of @obj, then made read-only. */
static inline void *zxs_readonly_copy(const void *obj, size_t len)
{
	void *p = mmap(NULL, zxs_page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, obj, len);
	if (mprotect(p, zxs_page_size(), PROT_READ)) {
		munmap(p, zxs_page_size());
		return NULL;
	}
	return p;
}

static inline pid_t zxs_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/*
 * Wait until thread @tid of this process is asleep (state S or D), or
 * @timeout_ns passes.  Tests that check a wakeup use this so that the
 * event they trigger really reaches a sleeping waiter: without it, the
 * event could come before the wait and only the "already satisfied" path
 * would be tested.
 */
static inline bool zxs_wait_thread_asleep(pid_t tid, int64_t timeout_ns)
{
	int64_t end = zxs_now_ns() + timeout_ns;
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	do {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;
		char *rp;

		if (fd < 0)
			return false;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		/* The state follows the last ')', the comm may hold one. */
		rp = strrchr(buf, ')');
		if (rp && rp[1] == ' ' && (rp[2] == 'S' || rp[2] == 'D'))
			return true;
		zxs_sleep_ns(ZXS_NSEC_PER_MSEC);
	} while (zxs_now_ns() < end);
	return false;
}

/*
 * Passes @fd over the AF_UNIX socket @sock with SCM_RIGHTS (one data byte
 * carries it).  Returns 0, or -errno.
 */
static inline int zxs_send_fd(int sock, int fd)
{
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

/*
 * Receives one fd sent by zxs_send_fd() (close-on-exec).  Returns it, or
 * -errno, or -EPROTO when the message carried no SCM_RIGHTS fd.
 */
static inline int zxs_recv_fd(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -errno;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

#endif /* ZXS_TEST_COMMON_H */
