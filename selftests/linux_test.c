// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket endpoints as Linux files: poll/select/epoll for every signal
 * (level, edge, oneshot, exclusive, keyed wakeups, no lost wakeups),
 * read/write/readv/writev, EINTR and SA_RESTART, O_NONBLOCK and
 * RWF_NOWAIT, the rights of the open file, re-opening /proc/self/fd/N,
 * splice/sendfile, and /proc/self/fdinfo.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include <zircon/syscalls/port.h>

#include "zxs_test_util.h"

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define ALL_POLL	(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLPRI | \
			 POLLHUP | POLLERR | POLLRDHUP | POLLRDBAND | POLLWRBAND)

/* What poll(2) reports for @fd right now, asking for everything. */
static short revents(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = ALL_POLL };

	if (poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

static int pair(uint32_t options, zx_handle_t *a, zx_handle_t *b)
{
	return zx_socket_create(options, a, b) == ZX_OK ? 0 : -1;
}

static int set_prop(zx_handle_t h, uint32_t prop, size_t value)
{
	return zx_object_set_property(h, prop, &value, sizeof(value)) ==
		ZX_OK ? 0 : -1;
}

static long thread_switches(pid_t tid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Value of "@key:" in /proc/self/fdinfo/@fd, as a string; NULL if absent. */
static char *fdinfo(int fd, const char *key, char *out, size_t outlen)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	char *ret = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *v;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v = line + klen + 1;
		while (*v == '\t' || *v == ' ')
			v++;
		v[strcspn(v, "\n")] = '\0';
		snprintf(out, outlen, "%s", v);
		ret = out;
		break;
	}
	fclose(f);
	return ret;
}

/* The guest's initramfs may lack /tmp; the tests need one. */
static void __attribute__((constructor)) make_tmp(void)
{
	mkdir("/tmp", 01777);
}

static unsigned long long fdinfo_num(int fd, const char *key)
{
	char buf[64];

	if (!fdinfo(fd, key, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

/* ---------------------------------------------------------------- poll map */

TEST(poll_fresh_endpoint_is_writable_only)
{
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(b));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_readable_is_pollin_rdnorm)
{
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(1, write(a, "x", 1));
	EXPECT_EQ(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM, revents(b));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_full_is_not_pollout)
{
	zx_handle_t a, b;
	char c;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(ZX_OK, zxs_fill(a, NULL));
	EXPECT_EQ(0, revents(a) & (POLLOUT | POLLWRNORM));
	ASSERT_EQ(1, read(b, &c, 1));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_peer_closed_is_hup_and_in)
{
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	zx_handle_close(b);
	EXPECT_EQ(POLLHUP | POLLIN | POLLRDNORM, revents(a));
	zx_handle_close(a);
}

TEST(poll_peer_write_disabled_is_rdhup_and_in)
{
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(b,
			ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(POLLRDHUP | POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM,
		  revents(a));
	/* The writer whose writes are disabled sees EPOLLERR, no POLLOUT. */
	EXPECT_EQ(POLLERR, revents(b));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_read_threshold_is_rdband)
{
	zx_handle_t a, b;
	char buf[8];

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(0, set_prop(b, ZX_PROP_SOCKET_RX_THRESHOLD, 4));
	ASSERT_EQ(3, write(a, "abc", 3));
	EXPECT_EQ(0, revents(b) & POLLRDBAND);
	ASSERT_EQ(1, write(a, "d", 1));
	EXPECT_EQ(POLLRDBAND, revents(b) & POLLRDBAND);
	ASSERT_EQ(1, read(b, buf, 1));
	EXPECT_EQ(0, revents(b) & POLLRDBAND);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_write_threshold_is_wrband)
{
	zx_handle_t a, b;
	size_t cap;
	char *buf;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	cap = zxs_capacity(b);
	ASSERT_LT(4096, cap);
	ASSERT_EQ(0, set_prop(a, ZX_PROP_SOCKET_TX_THRESHOLD, 4096));
	EXPECT_EQ(POLLWRBAND, revents(a) & POLLWRBAND);
	ASSERT_EQ(ZX_OK, zxs_fill(a, NULL));
	EXPECT_EQ(0, revents(a) & POLLWRBAND);
	buf = malloc(4096);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(4095, read(b, buf, 4095));
	EXPECT_EQ(0, revents(a) & POLLWRBAND);
	ASSERT_EQ(1, read(b, buf, 1));
	EXPECT_EQ(POLLWRBAND, revents(a) & POLLWRBAND);
	free(buf);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_user_signals_are_pri)
{
	zx_handle_t a, b;
	int i;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	for (i = 0; i < 8; i++) {
		zx_signals_t s = ZX_USER_SIGNAL_0 << i;

		ASSERT_EQ(ZX_OK, zx_object_signal(a, 0, s));
		EXPECT_EQ(POLLPRI, revents(a) & POLLPRI);
		EXPECT_EQ(0, revents(b) & POLLPRI);
		ASSERT_EQ(ZX_OK, zx_object_signal(a, s, 0));
		EXPECT_EQ(0, revents(a) & POLLPRI);
	}
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(a, 0, ZX_USER_SIGNAL_7));
	EXPECT_EQ(POLLPRI, revents(b) & POLLPRI);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_control_readable_is_pri_control_writable_is_nothing)
{
	zx_handle_t a, b;
	size_t actual;
	char buf[8];

	ASSERT_EQ(0, pair(ZX_SOCKET_HAS_CONTROL, &a, &b));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	ASSERT_EQ(ZX_OK, zx_socket_write(a, ZX_SOCKET_CONTROL, "ctl", 3,
					 &actual));
	/* CONTROL_WRITABLE went away on a: not a poll bit, nothing changes. */
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	EXPECT_EQ(POLLPRI | POLLOUT | POLLWRNORM, revents(b));
	ASSERT_EQ(ZX_OK, zx_socket_read(b, ZX_SOCKET_CONTROL, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(b));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(poll_accept_is_pri_share_is_nothing)
{
	zx_handle_t a, b, c, d, got;

	ASSERT_EQ(0, pair(ZX_SOCKET_HAS_ACCEPT, &a, &b));
	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &c, &d));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));
	ASSERT_EQ(ZX_OK, zx_socket_share(a, c));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(a));	/* SHARE cleared */
	EXPECT_EQ(POLLPRI | POLLOUT | POLLWRNORM, revents(b));
	ASSERT_EQ(ZX_OK, zx_socket_accept(b, &got));
	EXPECT_EQ(POLLOUT | POLLWRNORM, revents(b));
	zx_handle_close(got);
	zx_handle_close(d);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(select_maps_in_out_and_pri)
{
	zx_handle_t a, b;
	struct timeval tv = { 0, 0 };
	fd_set r, w, x;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(1, write(a, "x", 1));
	ASSERT_EQ(ZX_OK, zx_object_signal(b, 0, ZX_USER_SIGNAL_1));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(b, &r);
	FD_SET(b, &w);
	FD_SET(b, &x);
	FD_SET(a, &r);
	FD_SET(a, &x);
	ASSERT_EQ(3, select((a > b ? a : b) + 1, &r, &w, &x, &tv));
	EXPECT_TRUE(FD_ISSET(b, &r));
	EXPECT_TRUE(FD_ISSET(b, &w));
	EXPECT_TRUE(FD_ISSET(b, &x));
	EXPECT_FALSE(FD_ISSET(a, &r));
	EXPECT_FALSE(FD_ISSET(a, &x));
	zx_handle_close(a);
	zx_handle_close(b);
}

/* ----------------------------------------------------------------- epoll */

static int epoll_for(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		return -1;
	}
	return ep;
}

static int epoll_count(int ep, int timeout_ms)
{
	struct epoll_event ev[8];

	return epoll_wait(ep, ev, 8, timeout_ms);
}

TEST(epoll_level_triggered_reports_until_drained)
{
	zx_handle_t a, b;
	char c;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(b, EPOLLIN);
	ASSERT_LE(0, ep);
	EXPECT_EQ(0, epoll_count(ep, 0));
	ASSERT_EQ(2, write(a, "xy", 2));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(1, epoll_count(ep, 0));
	ASSERT_EQ(1, read(b, &c, 1));
	EXPECT_EQ(1, epoll_count(ep, 0));
	ASSERT_EQ(1, read(b, &c, 1));
	EXPECT_EQ(0, epoll_count(ep, 0));
	close(ep);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(epoll_edge_triggered_reports_each_edge_once)
{
	zx_handle_t a, b;
	char buf[8];
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(b, EPOLLIN | EPOLLET);
	ASSERT_LE(0, ep);
	ASSERT_EQ(1, write(a, "x", 1));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(0, epoll_count(ep, 0));
	/* More data without draining: still no new edge of READABLE... */
	ASSERT_EQ(1, write(a, "y", 1));
	EXPECT_EQ(0, epoll_count(ep, 0));
	/* ...but empty -> non-empty again is one. */
	ASSERT_EQ(2, read(b, buf, sizeof(buf)));
	ASSERT_EQ(1, write(a, "z", 1));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(0, epoll_count(ep, 0));
	close(ep);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(epoll_edge_triggered_pri_on_each_user_signal)
{
	zx_handle_t a, b;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(a, EPOLLPRI | EPOLLET);
	ASSERT_LE(0, ep);
	EXPECT_EQ(0, epoll_count(ep, 0));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(b, 0, ZX_USER_SIGNAL_0));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(0, epoll_count(ep, 0));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(b, 0, ZX_USER_SIGNAL_3));
	EXPECT_EQ(1, epoll_count(ep, 0));
	close(ep);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(epoll_oneshot_disarms_until_mod)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT };
	zx_handle_t a, b;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(b, EPOLLIN | EPOLLONESHOT);
	ASSERT_LE(0, ep);
	ASSERT_EQ(1, write(a, "x", 1));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(0, epoll_count(ep, 0));
	ASSERT_EQ(1, write(a, "y", 1));
	EXPECT_EQ(0, epoll_count(ep, 0));
	ev.data.fd = b;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_MOD, b, &ev));
	EXPECT_EQ(1, epoll_count(ep, 0));
	EXPECT_EQ(0, epoll_count(ep, 0));
	close(ep);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(epoll_reports_hup_err_rdhup_bits)
{
	struct epoll_event ev;
	zx_handle_t a, b;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(a, EPOLLIN | EPOLLRDHUP);
	ASSERT_LE(0, ep);
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(b,
			ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP, ev.events);
	zx_handle_close(b);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP | EPOLLHUP, ev.events);
	close(ep);
	zx_handle_close(a);
}

/* A thread sleeping in epoll_wait on its own epoll fd. */
struct epoller {
	pthread_t thread;
	int ep;
	int timeout_ms;
	pid_t tid;
	atomic_int returned;
	int nevents;
	uint32_t events;
};

static void *epoller_main(void *arg)
{
	struct epoller *e = arg;
	struct epoll_event ev[4];

	e->tid = zxs_gettid();
	e->nevents = epoll_wait(e->ep, ev, 4, e->timeout_ms);
	if (e->nevents > 0)
		e->events = ev[0].events;
	atomic_store(&e->returned, 1);
	return NULL;
}

static int epoller_start(struct epoller *e, int ep, int timeout_ms)
{
	memset(e, 0, sizeof(*e));
	e->ep = ep;
	e->tid = 0;
	e->timeout_ms = timeout_ms;
	if (pthread_create(&e->thread, NULL, epoller_main, e))
		return -1;
	while (!__atomic_load_n(&e->tid, __ATOMIC_ACQUIRE))
		sched_yield();
	return zxs_wait_thread_asleep(e->tid, ZXS_LONG_NS) ? 0 : -1;
}

/*
 * EPOLLEXCLUSIVE: several epoll fds each wait for the same endpoint; one
 * event wakes one of them.  An eventfd (not exclusive) in every epoll set
 * releases the rest at the end.
 */
static int exclusive_woken(bool exclusive)
{
	enum { N = 4 };
	struct epoller e[N];
	zx_handle_t a, b;
	int eps[N], efd, i, woken = 0;
	uint64_t one = 1;

	if (pair(ZX_SOCKET_STREAM, &a, &b))
		return -1;
	efd = eventfd(0, EFD_CLOEXEC);
	for (i = 0; i < N; i++) {
		struct epoll_event ev = {
			.events = EPOLLIN | (exclusive ? EPOLLEXCLUSIVE : 0),
			.data.fd = b,
		};
		struct epoll_event eev = { .events = EPOLLIN, .data.fd = efd };

		eps[i] = epoll_create1(EPOLL_CLOEXEC);
		if (epoll_ctl(eps[i], EPOLL_CTL_ADD, b, &ev) ||
		    epoll_ctl(eps[i], EPOLL_CTL_ADD, efd, &eev))
			return -1;
		if (epoller_start(&e[i], eps[i], 20000))
			return -1;
	}
	if (write(a, "x", 1) != 1)
		return -1;
	zxs_sleep_ns(ZXS_SETTLE_NS * 4);
	for (i = 0; i < N; i++)
		woken += atomic_load(&e[i].returned);
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		return -1;
	for (i = 0; i < N; i++) {
		pthread_join(e[i].thread, NULL);
		close(eps[i]);
	}
	close(efd);
	zx_handle_close(a);
	zx_handle_close(b);
	return woken;
}

TEST(epoll_exclusive_wakes_one_waiter_per_event)
{
	EXPECT_EQ(1, exclusive_woken(true));
}

TEST(epoll_without_exclusive_wakes_every_waiter)
{
	EXPECT_EQ(4, exclusive_woken(false));
}

/*
 * Keyed wakeups: a waiter for EPOLLOUT only is not woken (its thread does
 * not even run) when data arrives.  Counted with the sleeping thread's
 * voluntary context switches, so no timing decides the result.
 */
TEST(epoll_out_waiter_not_woken_by_data)
{
	struct epoller e;
	zx_handle_t a, b;
	long before, after;
	char c;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(ZX_OK, zxs_fill(a, NULL));	/* a: not writable */
	ep = epoll_for(a, EPOLLOUT);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoller_start(&e, ep, 20000));
	before = thread_switches(e.tid);
	ASSERT_LE(0, before);
	/* Data arrives for a, several times; a signal rises each time. */
	ASSERT_EQ(1, write(b, "x", 1));
	ASSERT_EQ(ZX_OK, zx_object_signal(a, 0, ZX_USER_SIGNAL_0));
	ASSERT_EQ(1, write(b, "y", 1));
	zxs_sleep_ns(ZXS_SETTLE_NS);
	after = thread_switches(e.tid);
	EXPECT_EQ(before, after);
	EXPECT_EQ(0, atomic_load(&e.returned));
	/* Room for a: now it is woken, with EPOLLOUT. */
	ASSERT_EQ(1, read(b, &c, 1));
	pthread_join(e.thread, NULL);
	EXPECT_EQ(1, e.nevents);
	EXPECT_EQ(EPOLLOUT, e.events);
	close(ep);
	zx_handle_close(a);
	zx_handle_close(b);
}

struct poller {
	pthread_t thread;
	int fd;
	short events;
	pid_t tid;
	atomic_int returned;
	short revents;
};

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = p->events };

	__atomic_store_n(&p->tid, zxs_gettid(), __ATOMIC_RELEASE);
	if (poll(&pfd, 1, 20000) == 1)
		p->revents = pfd.revents;
	atomic_store(&p->returned, 1);
	return NULL;
}

TEST(poll_in_waiter_not_woken_by_room_or_user_signal)
{
	struct poller p = { .events = POLLIN };
	zx_handle_t a, b;
	long before;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	p.fd = a;
	ASSERT_EQ(0, pthread_create(&p.thread, NULL, poller_main, &p));
	while (!__atomic_load_n(&p.tid, __ATOMIC_ACQUIRE))
		sched_yield();
	ASSERT_TRUE(zxs_wait_thread_asleep(p.tid, ZXS_LONG_NS));
	before = thread_switches(p.tid);
	ASSERT_EQ(ZX_OK, zx_object_signal(a, 0, ZX_USER_SIGNAL_2));
	ASSERT_EQ(0, set_prop(a, ZX_PROP_SOCKET_TX_THRESHOLD, 1));
	zxs_sleep_ns(ZXS_SETTLE_NS);
	EXPECT_EQ(before, thread_switches(p.tid));
	ASSERT_EQ(1, write(b, "x", 1));
	pthread_join(p.thread, NULL);
	EXPECT_EQ(POLLIN, p.revents);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(epoll_wait_woken_by_peer_close)
{
	struct epoller e;
	zx_handle_t a, b;
	int ep;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ep = epoll_for(a, EPOLLIN | EPOLLRDHUP);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoller_start(&e, ep, 20000));
	zx_handle_close(b);
	pthread_join(e.thread, NULL);
	EXPECT_EQ(1, e.nevents);
	EXPECT_EQ(EPOLLIN | EPOLLHUP, e.events);
	close(ep);
	zx_handle_close(a);
}

/*
 * No lost wakeup: writer threads stream a pattern into many sockets while
 * reader threads share one epoll fd (edge-triggered, oneshot, re-armed
 * after draining to EAGAIN).  Every byte must arrive, in order.
 */
#define MANY_SOCKETS	16
#define MANY_READERS	3
#define MANY_BYTES	(256 * 1024)

struct many {
	zx_handle_t w[MANY_SOCKETS], r[MANY_SOCKETS];
	size_t got[MANY_SOCKETS];
	atomic_int bad;
	atomic_int done;
	int ep;
};

static void *many_writer(void *arg)
{
	struct many *m = ((void **)arg)[0];
	int s = (int)(intptr_t)((void **)arg)[1];
	uint64_t rnd = s + 1;
	uint8_t buf[5000];
	size_t pos = 0;

	while (pos < MANY_BYTES) {
		size_t n = 1 + zxs_rand(&rnd) % sizeof(buf);
		ssize_t w;

		if (n > MANY_BYTES - pos)
			n = MANY_BYTES - pos;
		zxs_pattern_fill(buf, n, s, pos);
		w = write(m->w[s], buf, n);	/* blocking */
		if (w <= 0) {
			atomic_fetch_add(&m->bad, 1);
			break;
		}
		pos += w;
	}
	zx_handle_close(m->w[s]);	/* EOF for the reader */
	return NULL;
}

static void *many_reader(void *arg)
{
	struct many *m = arg;
	uint8_t buf[3000];

	while (atomic_load(&m->done) < MANY_SOCKETS) {
		struct epoll_event ev;
		int s, n;

		n = epoll_wait(m->ep, &ev, 1, 200);
		if (n <= 0)
			continue;
		s = ev.data.u32;
		for (;;) {
			ssize_t r = read(m->r[s], buf, sizeof(buf));

			if (r > 0) {
				if (zxs_pattern_check(buf, r, s, m->got[s]) >= 0)
					atomic_fetch_add(&m->bad, 1);
				m->got[s] += r;
				continue;
			}
			if (r == 0) {
				atomic_fetch_add(&m->done, 1);
				break;
			}
			if (errno != EAGAIN)
				atomic_fetch_add(&m->bad, 1);
			ev.events = EPOLLIN | EPOLLET | EPOLLONESHOT;
			ev.data.u32 = s;
			if (epoll_ctl(m->ep, EPOLL_CTL_MOD, m->r[s], &ev))
				atomic_fetch_add(&m->bad, 1);
			break;
		}
	}
	return NULL;
}

TEST(epoll_no_lost_wakeup_many_threads_many_sockets)
{
	pthread_t wt[MANY_SOCKETS], rt[MANY_READERS];
	void *args[MANY_SOCKETS][2];
	static struct many m;
	int i;

	memset(&m, 0, sizeof(m));
	m.ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, m.ep);
	for (i = 0; i < MANY_SOCKETS; i++) {
		struct epoll_event ev = {
			.events = EPOLLIN | EPOLLET | EPOLLONESHOT,
			.data.u32 = i,
		};

		ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &m.w[i], &m.r[i]));
		ASSERT_EQ(0, fcntl(m.r[i], F_SETFL, O_NONBLOCK));
		ASSERT_EQ(0, epoll_ctl(m.ep, EPOLL_CTL_ADD, m.r[i], &ev));
	}
	for (i = 0; i < MANY_READERS; i++)
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, many_reader, &m));
	for (i = 0; i < MANY_SOCKETS; i++) {
		args[i][0] = &m;
		args[i][1] = (void *)(intptr_t)i;
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, many_writer, args[i]));
	}
	for (i = 0; i < MANY_SOCKETS; i++)
		pthread_join(wt[i], NULL);
	for (i = 0; i < MANY_READERS; i++)
		pthread_join(rt[i], NULL);
	EXPECT_EQ(0, atomic_load(&m.bad));
	for (i = 0; i < MANY_SOCKETS; i++) {
		EXPECT_EQ(MANY_BYTES, m.got[i]);
		zx_handle_close(m.r[i]);
	}
	close(m.ep);
}

/* ------------------------------------------------------ read and write */

FIXTURE(rw) {
	zx_handle_t a, b;
};

FIXTURE_VARIANT(rw) {
	uint32_t options;
};

FIXTURE_VARIANT_ADD(rw, stream) { .options = ZX_SOCKET_STREAM };
FIXTURE_VARIANT_ADD(rw, datagram) { .options = ZX_SOCKET_DATAGRAM };

FIXTURE_SETUP(rw)
{
	ASSERT_EQ(0, pair(variant->options, &self->a, &self->b));
}

FIXTURE_TEARDOWN(rw)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
}

TEST_F(rw, writev_then_readv)
{
	char x[] = "hello ", y[] = "world";
	char p[4], q[16];
	struct iovec out[2] = { { x, 6 }, { y, 5 } };
	struct iovec in[2] = { { p, sizeof(p) }, { q, sizeof(q) } };

	ASSERT_EQ(11, writev(self->a, out, 2));
	ASSERT_EQ(11, readv(self->b, in, 2));
	EXPECT_EQ(0, memcmp(p, "hell", 4));
	EXPECT_EQ(0, memcmp(q, "o world", 7));
}

TEST_F(rw, nonblocking_read_of_empty_is_eagain)
{
	char c;

	ASSERT_EQ(0, fcntl(self->b, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->b, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(rw, rwf_nowait_read_and_write_are_eagain)
{
	struct iovec iov;
	char c = 0;

	iov.iov_base = &c;
	iov.iov_len = 1;
	EXPECT_EQ(-1, preadv2(self->b, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(ZX_OK, zxs_fill(self->a, NULL));
	EXPECT_EQ(-1, pwritev2(self->a, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	/* With data there, RWF_NOWAIT reads it. */
	EXPECT_EQ(1, preadv2(self->b, &iov, 1, -1, RWF_NOWAIT));
}

TEST_F(rw, blocked_read_woken_by_write)
{
	char c = 0;

	if (fork() == 0) {
		zxs_sleep_ns(ZXS_SETTLE_NS);
		_exit(write(self->a, "q", 1) == 1 ? 0 : 1);
	}
	ASSERT_EQ(1, read(self->b, &c, 1));
	EXPECT_EQ('q', c);
	wait(NULL);
}

TEST_F(rw, eof_after_peer_closed_and_drained)
{
	char buf[8];

	ASSERT_EQ(2, write(self->a, "ab", 2));
	zxs_close(&self->a);
	EXPECT_EQ(2, read(self->b, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->b, buf, sizeof(buf)));
}

TEST_F(rw, eof_after_peer_write_disabled)
{
	char buf[8];

	ASSERT_EQ(1, write(self->a, "a", 1));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(self->a,
			ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(1, read(self->b, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->b, buf, sizeof(buf)));
}

TEST_F(rw, write_to_closed_peer_is_epipe_and_sigpipe)
{
	sigset_t set, old;
	siginfo_t si;
	struct timespec ts = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, &old));
	zxs_close(&self->b);
	EXPECT_EQ(-1, write(self->a, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(SIGPIPE, sigtimedwait(&set, &si, &ts));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

TEST(datagram_read_is_one_message_truncated)
{
	zx_handle_t a, b;
	char buf[4];

	ASSERT_EQ(0, pair(ZX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_EQ(6, write(a, "abcdef", 6));
	ASSERT_EQ(2, write(a, "gh", 2));
	EXPECT_EQ(4, read(b, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "abcd", 4));
	EXPECT_EQ(2, read(b, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "gh", 2));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(datagram_larger_than_capacity_is_emsgsize)
{
	zx_handle_t a, b;
	size_t cap;
	char *buf;

	ASSERT_EQ(0, pair(ZX_SOCKET_DATAGRAM, &a, &b));
	cap = zxs_capacity(b);
	buf = calloc(1, cap + 1);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(-1, write(a, buf, cap + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	free(buf);
	zx_handle_close(a);
	zx_handle_close(b);
}

/*
 * RWF_NOWAIT does not sleep on the socket's lock either.  A write whose
 * source page is missing (userfaultfd) stalls in its copy with the lock
 * held; meanwhile a RWF_NOWAIT read with data queued, and a RWF_NOWAIT
 * write with room, must fail with EAGAIN instead of waiting for the lock.
 * A resolver thread releases the stalled write after a while, so without
 * the trylock the calls would return 1 late instead of EAGAIN.
 */
struct stalled {
	zx_handle_t a;
	int uffd;
	char *page;
	ssize_t wrote;
};

static void *stalled_writer(void *arg)
{
	struct stalled *st = arg;

	st->wrote = write(st->a, st->page, 100);
	return NULL;
}

static void *resolver(void *arg)
{
	struct stalled *st = arg;
	static char src[65536] __attribute__((aligned(65536)));
	struct uffdio_copy copy = {
		.dst = (uintptr_t)st->page,
		.src = (uintptr_t)src,
		.len = zxs_page_size(),
	};

	memset(src, 'u', sizeof(src));
	zxs_sleep_ns(ZXS_SETTLE_NS * 4);
	ioctl(st->uffd, UFFDIO_COPY, &copy);
	return NULL;
}

TEST(rwf_nowait_does_not_wait_for_a_held_lock)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffd_msg msg;
	pthread_t wt, rt;
	struct stalled st;
	zx_handle_t b;
	struct iovec iov;
	char buf[256], c = 0;

	st.uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (st.uffd < 0)
		SKIP(return, "no userfaultfd");
	ASSERT_EQ(0, ioctl(st.uffd, UFFDIO_API, &api));
	st.page = mmap(NULL, zxs_page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st.page);
	reg.range.start = (uintptr_t)st.page;
	reg.range.len = zxs_page_size();
	ASSERT_EQ(0, ioctl(st.uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &st.a, &b));
	ASSERT_EQ(1, write(st.a, "x", 1));
	ASSERT_EQ(0, pthread_create(&wt, NULL, stalled_writer, &st));
	/* The fault arrives: the writer now sleeps in its copy, lock held. */
	ASSERT_EQ(sizeof(msg), read(st.uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_EQ(0, pthread_create(&rt, NULL, resolver, &st));
	iov.iov_base = &c;
	iov.iov_len = 1;
	EXPECT_EQ(-1, preadv2(b, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, pwritev2(b, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	pthread_join(rt, NULL);
	pthread_join(wt, NULL);
	EXPECT_EQ(100, st.wrote);
	/* Without RWF_NOWAIT, nothing was lost: "x" and the 100 bytes. */
	EXPECT_EQ(101, read(b, buf, sizeof(buf)));
	EXPECT_EQ('x', buf[0]);
	EXPECT_EQ('u', buf[100]);
	close(st.uffd);
	zx_handle_close(st.a);
	zx_handle_close(b);
}

/* ---------------------------------------------------- EINTR, SA_RESTART */

static void on_alarm(int sig)
{
}

struct intr_result {
	ssize_t ret;
	int err;
};

/*
 * In a child: a blocked read (or write, when @write_side) of an endpoint
 * gets SIGALRM; with @restart, the peer writes (reads) after the signal.
 */
static int intr_child(bool restart, bool write_side)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	zx_handle_t a, b;
	char c;
	pid_t pid;
	ssize_t r;

	if (pair(ZX_SOCKET_STREAM, &a, &b))
		return 10;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	if (write_side && zxs_fill(a, NULL) != ZX_OK)
		return 11;
	pid = fork();
	if (pid == 0) {
		zxs_sleep_ns(ZXS_SETTLE_NS * 2);
		kill(getppid(), SIGALRM);
		if (restart) {
			zxs_sleep_ns(ZXS_SETTLE_NS * 2);
			if (write_side)
				_exit(read(b, &c, 1) == 1 ? 0 : 1);
			_exit(write(a, "r", 1) == 1 ? 0 : 1);
		}
		_exit(0);
	}
	if (write_side)
		r = write(a, "w", 1);
	else
		r = read(b, &c, 1);
	waitpid(pid, NULL, 0);
	if (restart)
		return r == 1 ? 0 : 20;
	return (r == -1 && errno == EINTR) ? 0 : 30;
}

static int run_intr(bool restart, bool write_side)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(intr_child(restart, write_side));
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

TEST(blocked_read_interrupted_is_eintr)
{
	EXPECT_EQ(0, run_intr(false, false));
}

TEST(blocked_read_restarted_with_sa_restart)
{
	EXPECT_EQ(0, run_intr(true, false));
}

TEST(blocked_write_interrupted_is_eintr)
{
	EXPECT_EQ(0, run_intr(false, true));
}

TEST(blocked_write_restarted_with_sa_restart)
{
	EXPECT_EQ(0, run_intr(true, true));
}

/* ---------------------------------------------------------------- rights */

TEST(read_without_read_right_is_ebadf)
{
	zx_handle_t a, b, w;
	char c;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(1, write(a, "x", 1));
	w = zxs_handle_with_rights(b, ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_READ);
	ASSERT_NE(ZX_HANDLE_INVALID, w);
	EXPECT_EQ(O_WRONLY, fcntl(w, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, read(w, &c, 1));
	EXPECT_EQ(EBADF, errno);
	zx_handle_close(w);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(write_without_write_right_is_ebadf)
{
	zx_handle_t a, b, r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	r = zxs_handle_with_rights(a, ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_WRITE);
	ASSERT_NE(ZX_HANDLE_INVALID, r);
	EXPECT_EQ(O_RDONLY, fcntl(r, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, write(r, "x", 1));
	EXPECT_EQ(EBADF, errno);
	zx_handle_close(r);
	zx_handle_close(a);
	zx_handle_close(b);
}

/* ---------------------------------------------------- re-open, cat-style */

static int reopen(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

TEST(proc_fd_link_names_the_koid)
{
	char path[64], link[64], want[64];
	zx_handle_t a, b;
	ssize_t n;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	snprintf(want, sizeof(want), "zxsocket:[%llu]",
		 (unsigned long long)zxs_koid(b));
	EXPECT_STREQ(want, link);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(reopen_shares_the_handle)
{
	zx_handle_t a, b;
	char buf[8];
	int r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	r = reopen(b, O_RDWR);
	ASSERT_LE(0, r);
	EXPECT_EQ(zxs_koid(b), zxs_koid(r));
	EXPECT_EQ(zxs_rights(b), zxs_rights(r));
	ASSERT_EQ(3, write(a, "abc", 3));
	EXPECT_EQ(3, read(r, buf, sizeof(buf)));
	ASSERT_EQ(2, write(r, "xy", 2));
	EXPECT_EQ(2, read(a, buf, sizeof(buf)));
	/* The Zircon calls work on the re-opened file too. */
	EXPECT_EQ(ZX_OK, zx_object_signal(r, 0, ZX_USER_SIGNAL_0));
	EXPECT_EQ(ZX_USER_SIGNAL_0, zxs_signals(b) & ZX_USER_SIGNAL_0);
	close(r);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(reopen_keeps_endpoint_alive_after_original_closes)
{
	zx_handle_t a, b;
	char c;
	int r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	r = reopen(b, O_RDONLY);
	ASSERT_LE(0, r);
	EXPECT_EQ(O_RDONLY, fcntl(r, F_GETFL) & O_ACCMODE);
	zx_handle_close(b);
	EXPECT_EQ(0, zxs_signals(a) & ZX_SOCKET_PEER_CLOSED);
	ASSERT_EQ(1, write(a, "k", 1));
	EXPECT_EQ(1, read(r, &c, 1));
	EXPECT_EQ('k', c);
	close(r);
	EXPECT_EQ(ZX_SOCKET_PEER_CLOSED, zxs_signals(a) & ZX_SOCKET_PEER_CLOSED);
	zx_handle_close(a);
}

TEST(reopen_never_gains_rights)
{
	zx_handle_t a, b, w, none;
	int r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	w = zxs_handle_with_rights(b, ZX_RIGHT_WRITE | ZX_RIGHT_TRANSFER);
	ASSERT_NE(ZX_HANDLE_INVALID, w);
	EXPECT_EQ(-1, reopen(w, O_RDONLY));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, reopen(w, O_RDWR));
	EXPECT_EQ(EACCES, errno);
	r = reopen(w, O_WRONLY);
	ASSERT_LE(0, r);
	EXPECT_EQ(ZX_RIGHT_WRITE | ZX_RIGHT_TRANSFER, zxs_rights(r));
	EXPECT_EQ(1, write(r, "z", 1));
	close(r);
	none = zxs_handle_with_rights(a, ZX_RIGHT_TRANSFER);
	ASSERT_NE(ZX_HANDLE_INVALID, none);
	EXPECT_EQ(-1, reopen(none, O_WRONLY));
	EXPECT_EQ(EACCES, errno);
	zx_handle_close(none);
	zx_handle_close(w);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(reopen_with_trunc_and_creat_like_a_shell)
{
	zx_handle_t a, b;
	char buf[16];
	int r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	r = reopen(b, O_WRONLY | O_CREAT | O_TRUNC);
	ASSERT_LE(0, r);
	EXPECT_EQ(5, write(r, "shell", 5));
	EXPECT_EQ(5, read(a, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "shell", 5));
	EXPECT_EQ(-1, lseek(r, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(r);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(cat_file_into_proc_fd)
{
	char cmd[256], tmp[] = "/tmp/zxs_catXXXXXX";
	static char data[100000], got[100000];
	zx_handle_t a, b;
	size_t have = 0;
	pid_t pid;
	int fd, status;

	if (access("/bin/sh", X_OK))
		SKIP(return, "no /bin/sh");
	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	zxs_pattern_fill(data, sizeof(data), 7, 0);
	ASSERT_EQ(sizeof(data), write(fd, data, sizeof(data)));
	close(fd);
	snprintf(cmd, sizeof(cmd), "cat %s > /proc/%d/fd/%d", tmp, getpid(),
		 (int)b);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (have < sizeof(got)) {
		ssize_t n = read(a, got + have, sizeof(got) - have);

		if (n <= 0)
			break;
		have += n;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(sizeof(data), have);
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
	unlink(tmp);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(async_wait_belongs_to_the_file_it_was_made_through)
{
	zx_port_packet_t pkt;
	zx_handle_t a, b, port;
	int r;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(ZX_OK, zx_port_create(0, &port));
	r = reopen(b, O_RDWR);
	ASSERT_LE(0, r);
	ASSERT_EQ(ZX_OK, zx_object_wait_async(r, port, 1, ZX_SOCKET_READABLE, 0));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(b, port, 2, ZX_SOCKET_READABLE, 0));
	close(r);	/* cancels key 1 only */
	ASSERT_EQ(1, write(a, "x", 1));
	ASSERT_EQ(ZX_OK, zx_port_wait(port, 0, &pkt));
	EXPECT_EQ(2, pkt.key);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(port, 0, &pkt));
	zx_handle_close(port);
	zx_handle_close(a);
	zx_handle_close(b);
}

/* ------------------------------------------------------ splice, sendfile */

TEST(splice_pipe_into_stream_endpoint)
{
	static char data[60000], got[60000];
	zx_handle_t a, b;
	size_t moved = 0, have = 0;
	int p[2];

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(0, pipe(p));
	zxs_pattern_fill(data, sizeof(data), 3, 0);
	ASSERT_EQ(sizeof(data), write(p[1], data, sizeof(data)));
	while (moved < sizeof(data)) {
		ssize_t n = splice(p[0], NULL, a, NULL, sizeof(data) - moved, 0);

		ASSERT_LT(0, n);
		moved += n;
	}
	while (have < sizeof(got)) {
		ssize_t n = read(b, got + have, sizeof(got) - have);

		ASSERT_LT(0, n);
		have += n;
	}
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
	close(p[0]);
	close(p[1]);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(splice_stream_endpoint_into_pipe)
{
	static char data[50000], got[50000];
	zx_handle_t a, b;
	size_t moved = 0, have = 0;
	int p[2];

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(0, pipe(p));
	ASSERT_LE(65536, fcntl(p[1], F_SETPIPE_SZ, 65536));
	zxs_pattern_fill(data, sizeof(data), 4, 0);
	ASSERT_EQ(sizeof(data), write(a, data, sizeof(data)));
	while (moved < sizeof(data)) {
		ssize_t n = splice(b, NULL, p[1], NULL, sizeof(data) - moved, 0);

		ASSERT_LT(0, n);
		moved += n;
	}
	while (have < sizeof(got)) {
		ssize_t n = read(p[0], got + have, sizeof(got) - have);

		ASSERT_LT(0, n);
		have += n;
	}
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
	/* End of file through splice once the peer is gone. */
	zx_handle_close(a);
	EXPECT_EQ(0, splice(b, NULL, p[1], NULL, 100, 0));
	close(p[0]);
	close(p[1]);
	zx_handle_close(b);
}

TEST(sendfile_regular_file_into_endpoint)
{
	static char data[200000], got[200000];
	char tmp[] = "/tmp/zxs_sendfileXXXXXX";
	zx_handle_t a, b;
	size_t have = 0;
	off_t off = 0;
	pid_t pid;
	int fd, status;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	unlink(tmp);
	zxs_pattern_fill(data, sizeof(data), 5, 0);
	ASSERT_EQ(sizeof(data), write(fd, data, sizeof(data)));
	/* More than the capacity: the sender blocks until we read. */
	pid = fork();
	if (pid == 0) {
		size_t sent = 0;

		while (sent < sizeof(data)) {
			ssize_t n = sendfile(a, fd, &off, sizeof(data) - sent);

			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	while (have < sizeof(got)) {
		ssize_t n = read(b, got + have, sizeof(got) - have);

		ASSERT_LT(0, n);
		have += n;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
	close(fd);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(splice_and_sendfile_refused_on_datagram_endpoints)
{
	char tmp[] = "/tmp/zxs_dgramXXXXXX";
	zx_handle_t a, b;
	off_t off = 0;
	int p[2], fd;

	ASSERT_EQ(0, pair(ZX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	EXPECT_EQ(-1, splice(p[0], NULL, a, NULL, 3, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(3, write(a, "def", 3));
	EXPECT_EQ(-1, splice(b, NULL, p[1], NULL, 3, 0));
	EXPECT_EQ(EINVAL, errno);
	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	unlink(tmp);
	ASSERT_EQ(3, write(fd, "ghi", 3));
	EXPECT_EQ(-1, sendfile(a, fd, &off, 3));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing was queued or consumed by the refused calls. */
	EXPECT_EQ(3, zxs_queued(b));
	close(fd);
	close(p[0]);
	close(p[1]);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(splice_into_endpoint_without_write_right_is_ebadf)
{
	zx_handle_t a, b, r;
	int p[2];

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	r = zxs_handle_with_rights(a, ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_WRITE);
	ASSERT_NE(ZX_HANDLE_INVALID, r);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(-1, splice(p[0], NULL, r, NULL, 1, 0));
	EXPECT_EQ(EBADF, errno);
	close(p[0]);
	close(p[1]);
	zx_handle_close(r);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(splice_into_closed_peer_is_epipe)
{
	struct timespec ts = { 0, 0 };
	zx_handle_t a, b;
	sigset_t set, old;
	int p[2];

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	zx_handle_close(b);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(-1, splice(p[0], NULL, a, NULL, 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(SIGPIPE, sigtimedwait(&set, NULL, &ts));
	close(p[0]);
	close(p[1]);
	zx_handle_close(a);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---------------------------------------------------------------- fdinfo */

TEST(fdinfo_shows_koids_mode_rights_signals_and_queues)
{
	char buf[64];
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(5, write(a, "hello", 5));
	ASSERT_EQ(0, set_prop(b, ZX_PROP_SOCKET_RX_THRESHOLD, 3));
	ASSERT_EQ(0, set_prop(b, ZX_PROP_SOCKET_TX_THRESHOLD, 100));
	EXPECT_EQ(zxs_koid(b), fdinfo_num(b, "zxs-koid"));
	EXPECT_EQ(zxs_koid(a), fdinfo_num(b, "zxs-peer-koid"));
	ASSERT_NE(NULL, fdinfo(b, "zxs-type", buf, sizeof(buf)));
	EXPECT_STREQ("stream", buf);
	EXPECT_EQ(zxs_rights(b), fdinfo_num(b, "zxs-rights"));
	EXPECT_EQ(zxs_signals(b), fdinfo_num(b, "zxs-signals"));
	EXPECT_EQ(5, fdinfo_num(b, "zxs-rx-bytes"));
	EXPECT_EQ(0, fdinfo_num(b, "zxs-tx-bytes"));
	EXPECT_EQ(5, fdinfo_num(a, "zxs-tx-bytes"));
	EXPECT_EQ(zxs_capacity(b), fdinfo_num(b, "zxs-rx-max"));
	EXPECT_EQ(3, fdinfo_num(b, "zxs-rx-threshold"));
	EXPECT_EQ(100, fdinfo_num(b, "zxs-tx-threshold"));
	/* The standard fields stay: pos, flags. */
	EXPECT_NE(NULL, fdinfo(b, "flags", buf, sizeof(buf)));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(fdinfo_datagram_counts_messages_and_reduced_rights)
{
	char buf[64];
	zx_handle_t a, b, r;

	ASSERT_EQ(0, pair(ZX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_EQ(1, write(a, "1", 1));
	ASSERT_EQ(2, write(a, "22", 2));
	ASSERT_NE(NULL, fdinfo(b, "zxs-type", buf, sizeof(buf)));
	EXPECT_STREQ("datagram", buf);
	EXPECT_EQ(2, fdinfo_num(b, "zxs-rx-datagrams"));
	EXPECT_EQ(3, fdinfo_num(b, "zxs-rx-bytes"));
	r = zxs_handle_with_rights(b, ZX_RIGHT_READ | ZX_RIGHT_WAIT);
	ASSERT_NE(ZX_HANDLE_INVALID, r);
	EXPECT_EQ(ZX_RIGHT_READ | ZX_RIGHT_WAIT, fdinfo_num(r, "zxs-rights"));
	EXPECT_EQ(zxs_koid(b), fdinfo_num(r, "zxs-koid"));
	zx_handle_close(r);
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(fdinfo_of_peer_closed_endpoint)
{
	zx_handle_t a, b;

	ASSERT_EQ(0, pair(ZX_SOCKET_STREAM, &a, &b));
	zx_handle_close(a);
	EXPECT_EQ(ZX_SOCKET_PEER_CLOSED,
		  fdinfo_num(b, "zxs-signals") & ZX_SOCKET_PEER_CLOSED);
	EXPECT_EQ(0, fdinfo_num(b, "zxs-tx-bytes"));
	zx_handle_close(b);
}

TEST(fdinfo_of_port)
{
	zx_port_packet_t pkt;
	char buf[64];
	zx_handle_t port;

	ASSERT_EQ(ZX_OK, zx_port_create(0, &port));
	memset(&pkt, 0, sizeof(pkt));
	ASSERT_EQ(ZX_OK, zx_port_queue(port, &pkt));
	ASSERT_NE(NULL, fdinfo(port, "zxs-type", buf, sizeof(buf)));
	EXPECT_STREQ("port", buf);
	EXPECT_EQ(1, fdinfo_num(port, "zxs-packets"));
	EXPECT_EQ(zxs_koid(port), fdinfo_num(port, "zxs-koid"));
	zx_handle_close(port);
}

TEST_HARNESS_MAIN
