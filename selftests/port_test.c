// SPDX-License-Identifier: GPL-2.0
/*
 * Zircon ports on zxsocket: zx_port_create/queue/wait/cancel and
 * zx_object_wait_async (level and edge), through libzxsocket, plus what
 * Linux adds: a port fd polls readable while packets are queued.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zircon/syscalls/port.h>

#include "zxs_test_util.h"

/* The harness forks with locals gcc cannot prove safe; they are. */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define PORT_MAX_USER_PACKETS	4096
#define PORT_MAX_OBSERVERS	50000

/* A packet that no call ever produces, to see what a call wrote. */
static void poison(zx_port_packet_t *p)
{
	memset(p, 0xa5, sizeof(*p));
}

static zx_port_packet_t user_packet(uint64_t key, zx_status_t status,
				    uint64_t word)
{
	zx_port_packet_t p;

	memset(&p, 0, sizeof(p));
	p.key = key;
	p.type = 0x7f;		/* ignored: always ZX_PKT_TYPE_USER */
	p.status = status;
	p.user.u64[0] = word;
	p.user.u64[3] = ~word;
	return p;
}

/* Packets queued on @port, by polling its fd. */
static bool port_readable(zx_handle_t port)
{
	struct pollfd pfd = { .fd = (int)port, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/zxsocket/refcnt", "r");
	int n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

FIXTURE(port) {
	zx_handle_t port;
	zx_handle_t a, b;
};

FIXTURE_SETUP(port)
{
	ASSERT_EQ(ZX_OK, zx_port_create(0, &self->port));
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_STREAM, &self->a,
					  &self->b));
}

FIXTURE_TEARDOWN(port)
{
	zxs_close(&self->port);
	zxs_close(&self->a);
	zxs_close(&self->b);
}

/* ------------------------------------------------------------ create */

TEST(create_checks_options_and_out)
{
	zx_handle_t p = ZX_HANDLE_INVALID;
	zx_info_handle_basic_t basic;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_port_create(2, &p));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_port_create(0x80000000u, &p));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_port_create(0, NULL));
	EXPECT_EQ(ZX_HANDLE_INVALID, p);

	ASSERT_EQ(ZX_OK, zx_port_create(ZX_PORT_BIND_TO_INTERRUPT, &p));
	ASSERT_EQ(ZX_OK, zxs_basic(p, &basic));
	EXPECT_EQ(ZX_OBJ_TYPE_PORT, basic.type);
	EXPECT_EQ(ZX_DEFAULT_PORT_RIGHTS, basic.rights);
	EXPECT_EQ(0x800fu, basic.rights);
	EXPECT_NE(ZX_KOID_INVALID, basic.koid);
	EXPECT_EQ(ZX_KOID_INVALID, basic.related_koid);
	EXPECT_TRUE(fcntl((int)p, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(ZX_OK, zx_handle_close(p));
}

TEST_F(port, koids_are_distinct_from_sockets)
{
	EXPECT_NE(zxs_koid(self->port), zxs_koid(self->a));
	EXPECT_NE(zxs_koid(self->port), zxs_koid(self->b));
}

TEST_F(port, socket_calls_on_a_port_are_wrong_type)
{
	zx_signals_t observed = 0;
	zx_info_socket_t info;
	size_t actual = 7;
	char c = 'x';

	EXPECT_EQ(ZX_ERR_WRONG_TYPE,
		  zx_socket_write(self->port, 0, &c, 1, &actual));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE,
		  zx_socket_read(self->port, 0, &c, 1, &actual));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_object_signal(self->port, 0,
						      ZX_USER_SIGNAL_0));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zxs_info(self->port, &info));
	/* A port has no signals to wait for. */
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED,
		  zx_object_wait_one(self->port, ZX_USER_SIGNAL_0, 0,
				     &observed));
	/* And port calls on a socket are wrong type too. */
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_port_wait(self->a, 0, NULL));
}

/* ---------------------------------------------------- queue and wait */

TEST_F(port, user_packets_come_back_in_order_and_intact)
{
	zx_port_packet_t in, out;
	int i;

	for (i = 0; i < 10; i++) {
		in = user_packet(100 + i, -i, 0x1111111111111111ull * i);
		ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	}
	for (i = 0; i < 10; i++) {
		poison(&out);
		ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
		EXPECT_EQ(100u + i, out.key);
		EXPECT_EQ(ZX_PKT_TYPE_USER, out.type);
		EXPECT_TRUE(ZX_PKT_IS_USER(out.type));
		EXPECT_EQ(-i, out.status);
		EXPECT_EQ(0x1111111111111111ull * i, out.user.u64[0]);
		EXPECT_EQ(0ull, out.user.u64[1]);
		EXPECT_EQ(0ull, out.user.u64[2]);
		EXPECT_EQ(~(0x1111111111111111ull * i), out.user.u64[3]);
	}
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, empty_wait_times_out_at_its_deadline)
{
	zx_time_t deadline = zx_deadline_after(ZX_MSEC(30));
	zx_port_packet_t out;

	poison(&out);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, deadline, &out));
	EXPECT_GE(zx_clock_get_monotonic(), deadline);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

/* Regression: a negative deadline once slept forever (u64 compare). */
TEST_F(port, negative_deadlines_have_passed)
{
	zx_wait_item_t item = { .handle = self->b,
				.waitfor = ZX_SOCKET_READABLE };
	zx_signals_t observed = 0;
	zx_port_packet_t out;

	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_port_wait(self->port, ZX_TIME_INFINITE_PAST, &out));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, -1, &out));
	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_one(self->b, ZX_SOCKET_READABLE,
				     ZX_TIME_INFINITE_PAST, &observed));
	EXPECT_EQ(ZX_SOCKET_WRITABLE, observed);
	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_many(&item, 1, INT64_MIN + 1));
	EXPECT_EQ(ZX_SOCKET_WRITABLE, item.pending);
}

TEST_F(port, bad_arguments)
{
	zx_port_packet_t in = user_packet(1, 0, 1), out;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_port_queue(self->port, NULL));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_port_queue(ZX_HANDLE_INVALID, &in));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_port_queue(zxs_closed_fd(), &in));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_port_wait(ZX_HANDLE_INVALID, 0, &out));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_port_queue(self->a, &in));
	/* A packet taken with a bad out pointer is lost, as in Zircon. */
	ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_port_wait(self->port, 0, NULL));
	EXPECT_FALSE(port_readable(self->port));
}

TEST_F(port, user_packet_limit_gives_should_wait_then_recovers)
{
	zx_port_packet_t in, out;
	int i;

	for (i = 0; i < PORT_MAX_USER_PACKETS; i++) {
		in = user_packet(i, 0, i);
		ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	}
	in = user_packet(i, 0, i);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_port_queue(self->port, &in));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(0u, out.key);
	EXPECT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	/* Signal packets do not count against the user limit. */
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 77,
					      ZX_SOCKET_WRITABLE, 0));
	for (i = 1; i <= PORT_MAX_USER_PACKETS; i++) {
		ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
		ASSERT_EQ((uint64_t)i, out.key);
	}
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(77u, out.key);
	EXPECT_EQ(ZX_PKT_TYPE_SIGNAL_ONE, out.type);
}

TEST_F(port, rights_are_enforced)
{
	zx_handle_t ro = zxs_handle_with_rights(self->port, ZX_RIGHT_READ);
	zx_handle_t wo = zxs_handle_with_rights(self->port, ZX_RIGHT_WRITE);
	zx_port_packet_t in = user_packet(5, 0, 5), out;
	zx_handle_t nodup;

	ASSERT_NE(ZX_HANDLE_INVALID, ro);
	ASSERT_NE(ZX_HANDLE_INVALID, wo);
	EXPECT_EQ(ZX_RIGHT_READ, zxs_rights(ro));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_port_queue(ro, &in));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_wait_async(self->a, ro, 1, ZX_SOCKET_WRITABLE, 0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_port_cancel(ro, self->a, 1));
	EXPECT_EQ(ZX_OK, zx_port_queue(wo, &in));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_port_wait(wo, 0, &out));
	/* Both handles name the same port. */
	EXPECT_EQ(ZX_OK, zx_port_wait(ro, 0, &out));
	EXPECT_EQ(5u, out.key);
	EXPECT_EQ(zxs_koid(self->port), zxs_koid(ro));
	/* No DUPLICATE right; and rights can only shrink. */
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_handle_duplicate(ro, ZX_RIGHT_SAME_RIGHTS, &nodup));
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->port, ZX_RIGHT_DUPLICATE |
					     ZX_RIGHT_READ, &nodup));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_duplicate(nodup, ZX_RIGHT_READ | ZX_RIGHT_WRITE,
				      &ro));
	zx_handle_close(nodup);
	zx_handle_close(ro);
	zx_handle_close(wo);
}

struct port_waiter {
	zx_handle_t port;
	zx_status_t status;
	zx_port_packet_t packet;
	pid_t tid;
	atomic_int state;
	pthread_t thread;
};

static void *port_waiter_main(void *arg)
{
	struct port_waiter *w = arg;

	w->tid = zxs_gettid();
	atomic_store(&w->state, 1);
	w->status = zx_port_wait(w->port, zx_deadline_after(ZX_SEC(20)),
				 &w->packet);
	atomic_store(&w->state, 2);
	return NULL;
}

static int port_waiter_start(struct port_waiter *w, zx_handle_t port)
{
	memset(w, 0, sizeof(*w));
	w->port = port;
	w->status = ZX_ERR_INTERNAL;
	if (pthread_create(&w->thread, NULL, port_waiter_main, w))
		return -1;
	while (atomic_load(&w->state) == 0)
		sched_yield();
	zxs_wait_thread_asleep(w->tid, ZXS_LONG_NS);
	return 0;
}

TEST_F(port, blocked_waiter_is_woken_by_a_queued_packet)
{
	zx_port_packet_t in = user_packet(42, 0, 42);
	struct port_waiter w;

	ASSERT_EQ(0, port_waiter_start(&w, self->port));
	EXPECT_EQ(1, atomic_load(&w.state));
	ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(42u, w.packet.key);
}

TEST_F(port, blocked_waiter_is_woken_by_wait_async)
{
	struct port_waiter w;
	size_t actual;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 9,
					      ZX_SOCKET_READABLE, 0));
	ASSERT_EQ(0, port_waiter_start(&w, self->port));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "hi", 2, &actual));
	pthread_join(w.thread, NULL);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(9u, w.packet.key);
	EXPECT_EQ(ZX_PKT_TYPE_SIGNAL_ONE, w.packet.type);
	EXPECT_TRUE(w.packet.signal.observed & ZX_SOCKET_READABLE);
}

/* Every waiter gets one packet: no wakeup is lost between waiters. */
TEST_F(port, many_waiters_each_get_one_packet)
{
	enum { N = 8 };
	struct port_waiter w[N];
	uint64_t seen = 0;
	int i;

	for (i = 0; i < N; i++)
		ASSERT_EQ(0, port_waiter_start(&w[i], self->port));
	for (i = 0; i < N; i++) {
		zx_port_packet_t in = user_packet(i, 0, i);

		ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	}
	for (i = 0; i < N; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(ZX_OK, w[i].status);
		if (w[i].status == ZX_OK && w[i].packet.key < N)
			seen |= 1ull << w[i].packet.key;
	}
	EXPECT_EQ((1ull << N) - 1, seen);
}

/* ------------------------------------------------------ wait_async */

TEST_F(port, level_wait_fires_at_once_when_already_satisfied)
{
	zx_port_packet_t out;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 0xabcdef,
					      ZX_SOCKET_WRITABLE |
					      ZX_SOCKET_READABLE, 0));
	EXPECT_TRUE(port_readable(self->port));
	poison(&out);
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(0xabcdefu, out.key);
	EXPECT_EQ(ZX_PKT_TYPE_SIGNAL_ONE, out.type);
	EXPECT_TRUE(ZX_PKT_IS_SIGNAL_ONE(out.type));
	EXPECT_EQ(ZX_OK, out.status);
	EXPECT_EQ(ZX_SOCKET_WRITABLE | ZX_SOCKET_READABLE, out.signal.trigger);
	EXPECT_EQ(zxs_signals(self->a), out.signal.observed);
	EXPECT_EQ(1u, out.signal.count);
	EXPECT_EQ(0u, out.signal.timestamp);
	EXPECT_EQ(0u, out.signal.reserved1);
	/* One shot: nothing more, whatever happens next. */
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, level_wait_fires_once_when_the_signal_rises)
{
	zx_port_packet_t out;
	size_t actual;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 1,
					      ZX_SOCKET_READABLE, 0));
	EXPECT_FALSE(port_readable(self->port));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "abc", 3, &actual));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "def", 3, &actual));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(1u, out.key);
	EXPECT_EQ(ZX_SOCKET_READABLE, out.signal.trigger);
	EXPECT_EQ(ZX_SOCKET_READABLE | ZX_SOCKET_WRITABLE,
		  out.signal.observed);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, edge_wait_ignores_a_signal_already_asserted)
{
	zx_port_packet_t out;
	char buf[8];
	size_t actual;

	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "x", 1, &actual));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 2,
					      ZX_SOCKET_READABLE,
					      ZX_WAIT_ASYNC_EDGE));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
	/* More data: READABLE stays asserted, no edge. */
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "y", 1, &actual));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
	/* Drain (falls), then write (rises): now it fires. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "z", 1, &actual));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(2u, out.key);
	EXPECT_TRUE(out.signal.observed & ZX_SOCKET_READABLE);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, edge_wait_fires_on_a_rise_of_any_trigger_signal)
{
	zx_port_packet_t out;

	/* WRITABLE is up, USER_0 is not: the rise of USER_0 counts. */
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 3,
					      ZX_SOCKET_WRITABLE |
					      ZX_USER_SIGNAL_0,
					      ZX_WAIT_ASYNC_EDGE));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
	ASSERT_EQ(ZX_OK, zx_object_signal(self->a, 0, ZX_USER_SIGNAL_0));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(3u, out.key);
	EXPECT_EQ(ZX_SOCKET_WRITABLE | ZX_USER_SIGNAL_0, out.signal.observed);
}

TEST_F(port, user_signals_from_the_peer_fire)
{
	zx_port_packet_t out;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 4,
					      ZX_USER_SIGNAL_7, 0));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->a, 0, ZX_USER_SIGNAL_7));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(4u, out.key);
	EXPECT_TRUE(out.signal.observed & ZX_USER_SIGNAL_7);
}

TEST_F(port, peer_closed_fires)
{
	zx_port_packet_t out;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 5,
					      ZX_SOCKET_PEER_CLOSED, 0));
	zxs_close(&self->b);
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(5u, out.key);
	EXPECT_EQ(ZX_SOCKET_PEER_CLOSED, out.signal.observed);
}

TEST_F(port, timestamps_when_asked)
{
	zx_time_t before, after;
	zx_port_packet_t out;

	before = zx_clock_get_monotonic();
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 6,
					      ZX_SOCKET_WRITABLE,
					      ZX_WAIT_ASYNC_TIMESTAMP));
	after = zx_clock_get_monotonic();
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_GE((zx_time_t)out.signal.timestamp, before);
	EXPECT_LE((zx_time_t)out.signal.timestamp, after);

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 7,
					      ZX_SOCKET_WRITABLE,
					      ZX_WAIT_ASYNC_BOOT_TIMESTAMP));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_NE(0u, out.signal.timestamp);
}

TEST_F(port, many_sockets_one_port)
{
	enum { N = 64 };
	zx_handle_t s[N][2];
	uint64_t seen[N] = { 0 };
	zx_port_packet_t out;
	size_t actual;
	int i, got = 0;

	for (i = 0; i < N; i++) {
		ASSERT_EQ(ZX_OK, zx_socket_create(i & 1 ? ZX_SOCKET_DATAGRAM :
						  ZX_SOCKET_STREAM,
						  &s[i][0], &s[i][1]));
		ASSERT_EQ(ZX_OK, zx_object_wait_async(s[i][1], self->port,
						      1000 + i,
						      ZX_SOCKET_READABLE, 0));
	}
	for (i = N - 1; i >= 0; i--)
		ASSERT_EQ(ZX_OK, zx_socket_write(s[i][0], 0, "m", 1, &actual));
	while (zx_port_wait(self->port, 0, &out) == ZX_OK) {
		ASSERT_GE(out.key, 1000u);
		ASSERT_LT(out.key, 1000u + N);
		seen[out.key - 1000]++;
		got++;
	}
	EXPECT_EQ(N, got);
	for (i = 0; i < N; i++) {
		EXPECT_EQ(1u, seen[i]);
		zx_handle_close(s[i][0]);
		zx_handle_close(s[i][1]);
	}
}

TEST_F(port, wait_async_argument_checks_in_zircon_order)
{
	zx_handle_t nowait = zxs_handle_with_rights(self->a, ZX_RIGHT_READ);
	zx_handle_t nowrite = zxs_handle_with_rights(self->port,
						     ZX_RIGHT_READ);
	zx_handle_t closed = zxs_closed_fd();
	zx_signals_t sig = ZX_SOCKET_READABLE;
	int pfd[2];

	ASSERT_NE(ZX_HANDLE_INVALID, nowait);
	ASSERT_NE(ZX_HANDLE_INVALID, nowrite);
	ASSERT_EQ(0, pipe(pfd));
	/* Options first, even with every handle bad. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_object_wait_async(closed, closed, 0, sig, 8));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_object_wait_async(self->a, self->port, 0, sig,
				       ZX_WAIT_ASYNC_TIMESTAMP |
				       ZX_WAIT_ASYNC_BOOT_TIMESTAMP));
	/* Then the port: not open, not a port, no WRITE. */
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_object_wait_async(closed, closed, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_object_wait_async(self->a, ZX_HANDLE_INVALID, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE,
		  zx_object_wait_async(closed, self->b, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE,
		  zx_object_wait_async(self->a, pfd[0], 0, sig, 0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_wait_async(closed, nowrite, 0, sig, 0));
	/* Then the handle: not open, no WAIT (a port never has it). */
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_object_wait_async(closed, self->port, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_object_wait_async(ZX_HANDLE_INVALID, self->port, 0, sig,
				       0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_wait_async(nowait, self->port, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_wait_async(self->port, self->port, 0, sig, 0));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE,
		  zx_object_wait_async(pfd[0], self->port, 0, sig, 0));
	/* None of them queued anything or left a wait behind. */
	EXPECT_FALSE(port_readable(self->port));
	EXPECT_EQ(ZX_ERR_NOT_FOUND, zx_port_cancel(self->port, self->a, 0));
	close(pfd[0]);
	close(pfd[1]);
	zx_handle_close(nowait);
	zx_handle_close(nowrite);
}

/* ------------------------------------------------------------ cancel */

TEST_F(port, cancel_removes_an_armed_wait)
{
	zx_port_packet_t out;
	size_t actual;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 10,
					      ZX_SOCKET_READABLE, 0));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 11,
					      ZX_SOCKET_READABLE, 0));
	EXPECT_EQ(ZX_ERR_NOT_FOUND, zx_port_cancel(self->port, self->b, 12));
	EXPECT_EQ(ZX_ERR_NOT_FOUND, zx_port_cancel(self->port, self->a, 10));
	EXPECT_EQ(ZX_OK, zx_port_cancel(self->port, self->b, 10));
	EXPECT_EQ(ZX_ERR_NOT_FOUND, zx_port_cancel(self->port, self->b, 10));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "q", 1, &actual));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(11u, out.key);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, cancel_removes_queued_packets_of_that_key_only)
{
	zx_port_packet_t in = user_packet(20, 0, 20), out;

	ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 20,
					      ZX_SOCKET_WRITABLE, 0));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 21,
					      ZX_SOCKET_WRITABLE, 0));
	EXPECT_EQ(ZX_OK, zx_port_cancel(self->port, self->a, 20));
	/* The user packet with the same key is not the socket's: it stays. */
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(ZX_PKT_TYPE_USER, out.type);
	EXPECT_EQ(20u, out.key);
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(21u, out.key);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, cancel_argument_checks)
{
	zx_handle_t nowait = zxs_handle_with_rights(self->a, ZX_RIGHT_READ);
	zx_handle_t closed = zxs_closed_fd();

	ASSERT_NE(ZX_HANDLE_INVALID, nowait);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_port_cancel(closed, self->a, 0));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE,
		  zx_port_cancel(ZX_HANDLE_INVALID, self->a, 0));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_port_cancel(self->a, self->a, 0));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_port_cancel(self->port, closed, 0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_port_cancel(self->port, nowait, 0));
	zx_handle_close(nowait);
}

/* A wait belongs to the handle it was made through. */
TEST_F(port, closing_the_watched_handle_cancels_its_waits)
{
	zx_handle_t dup;
	zx_port_packet_t out;
	size_t actual;

	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->b, ZX_RIGHT_SAME_RIGHTS,
					     &dup));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(dup, self->port, 30,
					      ZX_SOCKET_READABLE, 0));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 31,
					      ZX_SOCKET_READABLE, 0));
	ASSERT_EQ(ZX_OK, zx_handle_close(dup));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "r", 1, &actual));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(31u, out.key);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_F(port, queued_packets_survive_the_watched_handle)
{
	zx_port_packet_t out;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->a, self->port, 32,
					      ZX_SOCKET_WRITABLE, 0));
	zxs_close(&self->a);
	zxs_close(&self->b);
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_EQ(32u, out.key);
	EXPECT_EQ(ZX_SOCKET_WRITABLE, out.signal.observed);
}

/* -------------------------------------------------------- lifetimes */

/*
 * Closing a port with armed waits and queued packets frees them all; the
 * sockets keep working and changing signals, and every file reference is
 * returned (each open file pins the module once).
 */
TEST(port_dies_with_waits_and_packets)
{
	zx_handle_t port, a, b;
	zx_port_packet_t in = user_packet(1, 0, 1);
	int base, i;
	size_t actual;
	char buf[64];

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));	/* opens the device */
	zx_handle_close(a);
	zx_handle_close(b);
	base = module_refcnt();
	ASSERT_GE(base, 1);
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(ZX_OK, zx_port_create(0, &port));
		ASSERT_EQ(ZX_OK, zx_socket_create(i & 1, &a, &b));
		ASSERT_EQ(ZX_OK, zx_object_wait_async(b, port, 1,
						      ZX_SOCKET_READABLE, 0));
		ASSERT_EQ(ZX_OK, zx_object_wait_async(a, port, 2,
						      ZX_SOCKET_WRITABLE, 0));
		ASSERT_EQ(ZX_OK, zx_object_wait_async(a, port, 3,
						      ZX_SOCKET_PEER_CLOSED,
						      ZX_WAIT_ASYNC_EDGE));
		ASSERT_EQ(ZX_OK, zx_port_queue(port, &in));
		if (i % 3 == 0) {
			ASSERT_EQ(ZX_OK, zx_handle_close(port));
			ASSERT_EQ(ZX_OK, zx_socket_write(a, 0, "x", 1,
							 &actual));
			ASSERT_EQ(ZX_OK, zx_socket_read(b, 0, buf, sizeof(buf),
							&actual));
			ASSERT_EQ(ZX_OK, zx_handle_close(b));
			ASSERT_EQ(ZX_OK, zx_handle_close(a));
		} else if (i % 3 == 1) {
			ASSERT_EQ(ZX_OK, zx_handle_close(b));
			ASSERT_EQ(ZX_OK, zx_handle_close(a));
			ASSERT_EQ(ZX_OK, zx_handle_close(port));
		} else {
			ASSERT_EQ(ZX_OK, zx_handle_close(a));
			ASSERT_EQ(ZX_OK, zx_handle_close(port));
			ASSERT_EQ(ZX_OK, zx_handle_close(b));
		}
	}
	EXPECT_EQ(base, module_refcnt());
}

TEST(observer_limit_is_no_resources_and_port_close_frees_them)
{
	zx_handle_t port, a, b;
	zx_port_packet_t out;
	size_t actual;
	int i;

	ASSERT_EQ(ZX_OK, zx_port_create(0, &port));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	for (i = 0; i < PORT_MAX_OBSERVERS; i++)
		ASSERT_EQ(ZX_OK, zx_object_wait_async(b, port, i,
						      ZX_SOCKET_READABLE, 0));
	EXPECT_EQ(ZX_ERR_NO_RESOURCES,
		  zx_object_wait_async(b, port, i, ZX_SOCKET_READABLE, 0));
	/* A wait that fires at once counts too, and was refused. */
	EXPECT_EQ(ZX_ERR_NO_RESOURCES,
		  zx_object_wait_async(a, port, i, ZX_SOCKET_WRITABLE, 0));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(port, 0, &out));
	/* Fire one: that makes room for one more. */
	ASSERT_EQ(ZX_OK, zx_port_cancel(port, b, 0));
	EXPECT_EQ(ZX_OK, zx_object_wait_async(a, port, 1u << 20,
					      ZX_SOCKET_WRITABLE, 0));
	ASSERT_EQ(ZX_OK, zx_port_wait(port, 0, &out));
	EXPECT_EQ(1u << 20, out.key);
	ASSERT_EQ(ZX_OK, zx_handle_close(port));
	/* The socket's waits went with the port; writing touches none. */
	ASSERT_EQ(ZX_OK, zx_socket_write(a, 0, "x", 1, &actual));
	zx_handle_close(a);
	zx_handle_close(b);
}

/* A port and a socket closed from two threads while waits fire. */
struct race {
	zx_handle_t port, a, b;
	atomic_int go;
};

static void *race_writer(void *arg)
{
	struct race *r = arg;
	size_t actual;
	char buf[16];
	int i;

	while (!atomic_load(&r->go))
		;
	for (i = 0; i < 20; i++) {
		zx_socket_write(r->a, 0, "w", 1, &actual);
		zx_socket_read(r->b, 0, buf, sizeof(buf), &actual);
	}
	zx_handle_close(r->a);
	return NULL;
}

TEST(close_races_with_firing)
{
	int i, rounds = 200;

	for (i = 0; i < rounds; i++) {
		struct race r = { 0 };
		pthread_t t;
		int k;

		ASSERT_EQ(ZX_OK, zx_port_create(0, &r.port));
		ASSERT_EQ(ZX_OK, zx_socket_create(i & 1, &r.a, &r.b));
		for (k = 0; k < 8; k++) {
			ASSERT_EQ(ZX_OK,
				  zx_object_wait_async(r.b, r.port, k,
						       ZX_SOCKET_READABLE |
						       ZX_SOCKET_PEER_CLOSED,
						       k & 1 ?
						       ZX_WAIT_ASYNC_EDGE : 0));
		}
		ASSERT_EQ(0, pthread_create(&t, NULL, race_writer, &r));
		atomic_store(&r.go, 1);
		if (i & 2)
			sched_yield();
		zx_handle_close(r.port);
		pthread_join(t, NULL);
		zx_handle_close(r.b);
	}
}

/* ---------------------------------------------------- Linux side */

TEST_F(port, poll_and_epoll_see_queued_packets)
{
	struct epoll_event ev = { .events = EPOLLIN }, got;
	zx_port_packet_t out;
	size_t actual;
	int ep;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_GE(ep, 0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, (int)self->port, &ev));
	EXPECT_FALSE(port_readable(self->port));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 40,
					      ZX_SOCKET_READABLE, 0));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "e", 1, &actual));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 5000));
	EXPECT_TRUE(got.events & EPOLLIN);
	EXPECT_TRUE(port_readable(self->port));
	ASSERT_EQ(ZX_OK, zx_port_wait(self->port, 0, &out));
	EXPECT_FALSE(port_readable(self->port));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	close(ep);
}

TEST_F(port, fdinfo_shows_the_port)
{
	zx_port_packet_t in = user_packet(1, 0, 1);
	char path[64], text[512];
	ssize_t n;
	int fd;

	ASSERT_EQ(ZX_OK, zx_port_queue(self->port, &in));
	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 2,
					      ZX_SOCKET_READABLE, 0));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", (int)self->port);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	text[n] = '\0';
	EXPECT_NE(NULL, strstr(text, "zxs-type:\tport\n"));
	EXPECT_NE(NULL, strstr(text, "zxs-packets:\t1\n"));
	EXPECT_NE(NULL, strstr(text, "zxs-async-waits:\t1\n"));
	EXPECT_NE(NULL, strstr(text, "zxs-rights:\t0x800f\n"));
}

/* A port shared with a child over fork serves both processes. */
TEST_F(port, port_works_across_fork)
{
	zx_port_packet_t out;
	size_t actual;
	int status;
	pid_t pid;

	ASSERT_EQ(ZX_OK, zx_object_wait_async(self->b, self->port, 50,
					      ZX_SOCKET_READABLE, 0));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		zx_port_packet_t p;

		if (zx_port_wait(self->port, zx_deadline_after(ZX_SEC(20)),
				 &p) != ZX_OK)
			_exit(1);
		_exit(p.key == 50 && (p.signal.observed & ZX_SOCKET_READABLE) ?
		      0 : 2);
	}
	zxs_sleep_ns(ZXS_SETTLE_NS);
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "f", 1, &actual));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_port_wait(self->port, 0, &out));
}

TEST_HARNESS_MAIN
