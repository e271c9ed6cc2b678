// SPDX-License-Identifier: GPL-2.0
/*
 * Resource limits: what one user can make the module hold is bounded.
 *
 * - Buffer memory is charged to the creator's memory cgroup: in a cgroup
 *   with a small memory.max, filling many sockets ends with
 *   ZX_ERR_SHOULD_WAIT or ZX_ERR_NO_MEMORY, never with the memcg OOM
 *   killer (memory.events oom_kill stays 0), nothing written is lost, and
 *   closing everything gives the memory back.
 * - The number of sockets, ports and duplicates is bounded by
 *   RLIMIT_NOFILE (ZX_ERR_NO_RESOURCES), and a failed create leaks no fd.
 * - No call lets userspace size a kernel allocation without bound:
 *   wait_many takes at most ZX_WAIT_MANY_MAX_ITEMS items, an accept slot
 *   is one deep and a socket with an accept queue cannot itself be shared,
 *   so share chains cannot grow.
 *
 * The cgroup test needs cgroup2 with the memory controller; it mounts
 * cgroup2 on /sys/fs/cgroup when nothing is mounted there (the test VMs)
 * and skips when that is impossible.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include <zircon/syscalls/port.h>

#include "zxs_test_util.h"

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP2_MAGIC	0x63677270
#define MEMCG_MAX	(8u << 20)
#define MEMCG_PAIRS	64		/* 64 x 256 KiB: twice the limit */
#define WRITE_CHUNK	(64u << 10)

/* ------------------------------------------------------ cgroup helpers */

static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static long long cg_read_ll(const char *dir, const char *file)
{
	char buf[64];

	if (cg_read(dir, file, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

/* A "key value" line of a flat-keyed file such as memory.events. */
static long long cg_read_key(const char *dir, const char *file,
			     const char *key)
{
	char buf[1024], *p;
	size_t klen = strlen(key);

	if (cg_read(dir, file, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	}
	return -1;
}

/* cgroup2 with the memory controller usable in children, or false. */
static bool cg_setup(void)
{
	struct statfs sfs;
	char buf[256];

	if (statfs(CGROUP_ROOT, &sfs))
		return false;
	if (sfs.f_type != CGROUP2_MAGIC &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return false;
	if (cg_read(CGROUP_ROOT, "cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		return false;
	cg_write(CGROUP_ROOT, "cgroup.subtree_control", "+memory");
	if (cg_read(CGROUP_ROOT, "cgroup.subtree_control", buf, sizeof(buf)))
		return false;
	return strstr(buf, "memory") != NULL;
}

/* ---------------------------------------------------------- memcg fill */

/*
 * What the child in the cgroup reports through a shared page: it must not
 * allocate anything once the cgroup is full (a pipe write would charge a
 * page), so it only stores numbers and spins on a flag.
 */
struct fill_report {
	volatile int stage;		/* child: 1 created, 2 full, 4 done */
	volatile int go;		/* parent: 1 fill, 3 verify and close */
	int pairs;
	long long queued;		/* bytes every write said it queued */
	int full;			/* writes that ended SHOULD_WAIT */
	int nomem;			/* writes that ended NO_MEMORY */
	int other;			/* any other status: a failure */
	zx_status_t other_status;
	long long lost;			/* bytes read back short or wrong */
	zx_status_t ctrl_status;	/* a control write into the full cgroup */
	zx_status_t port_status;	/* user packets until this status */
	int packets;
};

static void wait_flag(volatile int *flag, int val)
{
	while (*flag < val)
		zxs_sleep_ns(ZXS_NSEC_PER_MSEC);
}

/* Wait for the child to reach @val; false if it died first. */
static bool wait_child(volatile int *flag, int val, pid_t pid, int *status)
{
	while (*flag < val) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return false;
		zxs_sleep_ns(ZXS_NSEC_PER_MSEC);
	}
	return true;
}

static int fill_child(struct fill_report *r)
{
	static uint8_t buf[WRITE_CHUNK];
	static zx_handle_t h[MEMCG_PAIRS][2];
	static long long written[MEMCG_PAIRS];
	volatile uint8_t stack[64 << 10];
	zx_port_packet_t pkt;
	zx_handle_t port;
	int i;

	/* Touch everything now: a page fault in a full cgroup is an OOM. */
	memset((void *)stack, 1, sizeof(stack));
	memset(buf, 0, sizeof(buf));
	memset(written, 0, sizeof(written));
	memset(&pkt, 0, sizeof(pkt));
	wait_flag(&r->go, 1);

	for (i = 0; i < MEMCG_PAIRS; i++) {
		if (zx_socket_create(ZX_SOCKET_STREAM | ZX_SOCKET_HAS_CONTROL,
				     &h[i][0], &h[i][1]) != ZX_OK)
			break;
	}
	r->pairs = i;
	if (zx_port_create(0, &port) != ZX_OK)
		return 2;
	r->stage = 1;

	for (i = 0; i < r->pairs; i++) {
		for (;;) {
			size_t actual = 0;
			zx_status_t st;

			zxs_pattern_fill(buf, sizeof(buf), i, written[i]);
			st = zx_socket_write(h[i][0], 0, buf, sizeof(buf),
					     &actual);
			if (st == ZX_OK) {
				written[i] += actual;
				r->queued += actual;
				continue;
			}
			if (st == ZX_ERR_SHOULD_WAIT) {
				r->full++;
			} else if (st == ZX_ERR_NO_MEMORY) {
				r->nomem++;
			} else {
				r->other++;
				r->other_status = st;
			}
			break;
		}
	}
	/* Other bulk allocations in the now full cgroup fail cleanly too. */
	r->ctrl_status = zx_socket_write(h[0][0], ZX_SOCKET_CONTROL, buf,
					 1024, NULL);
	for (;;) {
		pkt.key = r->packets;
		r->port_status = zx_port_queue(port, &pkt);
		if (r->port_status != ZX_OK)
			break;
		r->packets++;
	}
	r->stage = 2;
	wait_flag(&r->go, 3);

	/* Nothing that any write reported as queued is lost. */
	for (i = 0; i < r->pairs; i++) {
		long long got = 0;

		for (;;) {
			size_t actual = 0;

			if (zx_socket_read(h[i][1], 0, buf, sizeof(buf),
					   &actual) != ZX_OK)
				break;
			if (zxs_pattern_check(buf, actual, i, got) >= 0)
				r->lost += actual;
			got += actual;
		}
		if (got != written[i])
			r->lost += llabs(written[i] - got);
		zx_handle_close(h[i][0]);
		zx_handle_close(h[i][1]);
	}
	zx_handle_close(port);
	r->stage = 4;
	return 0;
}

TEST(memcg_full_gives_no_memory_not_oom_and_frees_on_close)
{
	struct fill_report *r;
	char cg[128], val[32];
	long long full_current, peak, closed_current, oom_kill, max;
	int status;
	pid_t pid;

	if (!cg_setup())
		SKIP(return, "no cgroup2 memory controller");
	snprintf(cg, sizeof(cg), CGROUP_ROOT "/zxs-limits-%d", getpid());
	rmdir(cg);
	if (mkdir(cg, 0755) && (errno == EACCES || errno == EPERM ||
				errno == EROFS))
		SKIP(return, "cannot create a cgroup: %s", strerror(errno));
	ASSERT_EQ(0, access(cg, F_OK));
	snprintf(val, sizeof(val), "%u", MEMCG_MAX);
	ASSERT_EQ(0, cg_write(cg, "memory.max", val));
	cg_write(cg, "memory.swap.max", "0");

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fill_child(r));
	snprintf(val, sizeof(val), "%d", pid);
	ASSERT_EQ(0, cg_write(cg, "cgroup.procs", val));
	r->go = 1;
	if (!wait_child(&r->stage, 2, pid, &status)) {
		oom_kill = cg_read_key(cg, "memory.events", "oom_kill");
		rmdir(cg);
		ASSERT_TRUE(WIFEXITED(status))
			TH_LOG("child killed by signal %d while filling (oom_kill %lld)",
			       WTERMSIG(status), oom_kill);
		ASSERT_EQ(0, WEXITSTATUS(status));
		ASSERT_TRUE(false) TH_LOG("child exited early");
	}

	full_current = cg_read_ll(cg, "memory.current");
	peak = cg_read_ll(cg, "memory.peak");	/* -1 before Linux 5.19 */
	max = cg_read_ll(cg, "memory.max");
	r->go = 3;
	if (!wait_child(&r->stage, 4, pid, &status))
		pid = 0;	/* reaped: the checks below fail */
	closed_current = cg_read_ll(cg, "memory.current");
	oom_kill = cg_read_key(cg, "memory.events", "oom_kill");

	if (pid)
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	rmdir(cg);
	TH_LOG("%d pairs, %lld bytes queued, %d writes full, %d no memory; control write %d; %d user packets then %d",
	       r->pairs, r->queued, r->full, r->nomem, r->ctrl_status,
	       r->packets, r->port_status);
	TH_LOG("memory.max %lld, current when full %lld, peak %lld, after close %lld, oom_kill %lld",
	       max, full_current, peak, closed_current, oom_kill);

	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child killed by signal %d",
					      WTERMSIG(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, oom_kill);
	EXPECT_EQ(MEMCG_PAIRS, r->pairs);
	EXPECT_EQ(0, r->other) TH_LOG("a write returned %d", r->other_status);
	EXPECT_EQ(MEMCG_PAIRS, r->full + r->nomem);
	/* Twice the limit was asked for: the cgroup must have said no. */
	EXPECT_LT(0, r->nomem);
	EXPECT_GE(MEMCG_MAX, r->queued);
	EXPECT_GE(MEMCG_MAX, full_current);
	if (peak >= 0)
		EXPECT_GE(MEMCG_MAX, peak);
	EXPECT_EQ(0, r->lost);
	EXPECT_TRUE(r->ctrl_status == ZX_OK ||
		    r->ctrl_status == ZX_ERR_NO_MEMORY);
	EXPECT_TRUE(r->port_status == ZX_ERR_SHOULD_WAIT ||
		    r->port_status == ZX_ERR_NO_MEMORY);
	/* The queue pages went back: at least half of what was queued. */
	EXPECT_GE(full_current - r->queued / 2, closed_current);
	munmap(r, sizeof(*r));
}

/* ------------------------------------------------------ RLIMIT_NOFILE */

#define NOFILE_LIMIT	40

static int nofile_child(void)
{
	struct rlimit rl = { NOFILE_LIMIT, NOFILE_LIMIT };
	zx_handle_t a, b, first = 0, first_peer = 0, dup, port;
	zx_status_t st;
	int pairs = 0, free_fd, fd;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 10;
	for (;;) {
		st = zx_socket_create(0, &a, &b);
		if (st != ZX_OK)
			break;
		if (!pairs) {
			first = a;
			first_peer = b;
		}
		pairs++;
	}
	if (st != ZX_ERR_NO_RESOURCES) {
		fprintf(stderr, "create at the limit: %d\n", st);
		return 11;
	}
	if (pairs < 5 || pairs > NOFILE_LIMIT / 2) {
		fprintf(stderr, "%d pairs under a limit of %d fds\n", pairs,
			NOFILE_LIMIT);
		return 12;
	}
	/* A failed create leaks nothing: the same fd is free after it. */
	free_fd = zxs_lowest_free_fd();
	if (zx_socket_create(0, &a, &b) != ZX_ERR_NO_RESOURCES ||
	    zxs_lowest_free_fd() != free_fd)
		return 13;
	/* Use up the last fds; then nothing can make a new one. */
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		;
	if (errno != EMFILE)
		return 14;
	if (zx_port_create(0, &port) != ZX_ERR_NO_RESOURCES)
		return 15;
	if (zx_handle_duplicate(first, ZX_RIGHT_SAME_RIGHTS, &dup) !=
	    ZX_ERR_NO_RESOURCES)
		return 16;
	/* Closing one pair makes room for exactly one more. */
	zx_handle_close(first);
	zx_handle_close(first_peer);
	if (zx_socket_create(0, &a, &b) != ZX_OK ||
	    zx_socket_create(0, &a, &b) != ZX_ERR_NO_RESOURCES)
		return 17;
	printf("# RLIMIT_NOFILE %d: %d pairs, then ZX_ERR_NO_RESOURCES\n",
	       NOFILE_LIMIT, pairs);
	return 0;
}

TEST(sockets_are_bounded_by_rlimit_nofile)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Start from a clean fd table: only stdio. */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		_exit(nofile_child());
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* -------------------------------------------- bounded user-sized calls */

TEST(wait_many_item_count_is_capped)
{
	zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS + 1];
	zx_handle_t a, b;
	size_t i;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	for (i = 0; i <= ZX_WAIT_MANY_MAX_ITEMS; i++) {
		items[i].handle = a;
		items[i].waitfor = ZX_SOCKET_WRITABLE;
		items[i].pending = 0;
	}
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_object_wait_many(items, ZX_WAIT_MANY_MAX_ITEMS + 1, 0));
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_object_wait_many(items, (size_t)1 << 40, 0));
	EXPECT_EQ(ZX_OK,
		  zx_object_wait_many(items, ZX_WAIT_MANY_MAX_ITEMS, 0));
	EXPECT_EQ(ZX_SOCKET_WRITABLE,
		  items[ZX_WAIT_MANY_MAX_ITEMS - 1].pending &
		  ZX_SOCKET_WRITABLE);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(share_chains_cannot_grow)
{
	zx_handle_t a, b, c, d, e, f, g, h2, k, l, got;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &a, &b));
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &c, &d));
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &k, &l));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &e, &f));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &g, &h2));

	/* zx_socket_share consumes the shared handle, success or not. */
	/* One slot per direction: the second share waits. */
	EXPECT_EQ(ZX_OK, zx_socket_share(a, e));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_share(a, g));
	/* A socket that carries an accept queue cannot be carried. */
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(a, c));
	/* Nor can a socket be shared into itself. */
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(k, l));
	/* Accepting frees the slot; what was accepted still works. */
	EXPECT_EQ(ZX_OK, zx_socket_accept(b, &got));
	EXPECT_EQ(ZX_OK, zx_socket_write(got, 0, "x", 1, NULL));
	EXPECT_EQ(1u, zxs_queued(f));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(b, &got));
	zx_handle_close(got);
	zx_handle_close(f);
	zx_handle_close(a);
	zx_handle_close(b);
	zx_handle_close(d);
	zx_handle_close(h2);
	zx_handle_close(k);
}

TEST(port_user_packets_are_capped)
{
	zx_port_packet_t pkt;
	zx_handle_t port;
	int i;

	memset(&pkt, 0, sizeof(pkt));
	ASSERT_EQ(ZX_OK, zx_port_create(0, &port));
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(ZX_OK, zx_port_queue(port, &pkt));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_port_queue(port, &pkt));
	zx_handle_close(port);
}

TEST_HARNESS_MAIN
