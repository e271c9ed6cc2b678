// SPDX-License-Identifier: GPL-2.0
/*
 * A program written purely against Fuchsia's 2018 socket API: share/accept
 * and the control plane, as a Fuchsia test of that year would use them.
 * It includes nothing but <zircon/syscalls.h>, <pthread.h> and the C
 * library, uses only 2018 names and signatures (zx_socket_share(handle,
 * socket_to_share), zx_socket_accept(handle, &out_socket),
 * ZX_SOCKET_CONTROL, ZX_SOCKET_HAS_ACCEPT, zx_object_wait_one/_many with
 * zx_deadline_after(ZX_MSEC())...), and brings its own small unittest
 * macros in the style of Zircon's <unittest/unittest.h>, so the same file
 * builds unchanged against Fuchsia's 2018 headers.
 *
 * Every failed share below is given a handle it can afford to lose: in
 * 2018 Zircon, as here, zx_socket_share() consumes socket_to_share on
 * every failure.  The output is KTAP, like the kselftest binaries.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

/* ---------------------------------------- minimal unittest (2018 style) */

static int current_failures;

#define BEGIN_TEST	int __fail_at_start = current_failures
#define END_TEST	return current_failures == __fail_at_start

#define EXPECT_EQ(actual, expected, msg) do {				\
	long long __a = (long long)(actual);				\
	long long __e = (long long)(expected);				\
	if (__a != __e) {						\
		printf("# %s:%d: %s == %s: %lld != %lld %s\n",		\
		       __FILE__, __LINE__, #actual, #expected, __a,	\
		       __e, msg);					\
		current_failures++;					\
	}								\
} while (0)

#define ASSERT_EQ(actual, expected, msg) do {				\
	int __before = current_failures;				\
	EXPECT_EQ(actual, expected, msg);				\
	if (current_failures != __before)				\
		return false;						\
} while (0)

#define EXPECT_NE(actual, unexpected, msg) do {			\
	if ((long long)(actual) == (long long)(unexpected)) {		\
		printf("# %s:%d: %s != %s %s\n", __FILE__, __LINE__,	\
		       #actual, #unexpected, msg);			\
		current_failures++;					\
	}								\
} while (0)

/* ------------------------------------------------------------- helpers */

static zx_signals_t get_satisfied_signals(zx_handle_t handle)
{
	zx_signals_t pending = 0;

	zx_object_wait_one(handle, 0u, 0u, &pending);
	return pending;
}

static zx_koid_t get_koid(zx_handle_t handle, zx_koid_t *related)
{
	zx_info_handle_basic_t info;

	memset(&info, 0, sizeof(info));
	if (zx_object_get_info(handle, ZX_INFO_HANDLE_BASIC, &info,
			       sizeof(info), NULL, NULL) != ZX_OK)
		return 0;
	if (related)
		*related = info.related_koid;
	return info.koid;
}

/* --------------------------------------------------------------- tests */

static bool socket_control_plane_absent(void)
{
	BEGIN_TEST;
	zx_handle_t h0, h1;
	char rbuf[10] = {0};
	size_t count;

	ASSERT_EQ(zx_socket_create(0, &h0, &h1), ZX_OK, "");
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, "hi", 2u, NULL),
		  ZX_ERR_BAD_STATE, "");
	EXPECT_EQ(zx_socket_write(h1, ZX_SOCKET_CONTROL, "hi", 2u, NULL),
		  ZX_ERR_BAD_STATE, "");
	EXPECT_EQ(zx_socket_read(h0, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_ERR_BAD_STATE, "");
	EXPECT_EQ(zx_socket_read(h1, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_ERR_BAD_STATE, "");
	zx_handle_close(h0);
	zx_handle_close(h1);
	END_TEST;
}

static bool socket_control_plane(void)
{
	BEGIN_TEST;
	zx_handle_t h0, h1;
	char rbuf[10] = {0};
	size_t count;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_HAS_CONTROL, &h0, &h1), ZX_OK, "");
	EXPECT_EQ(get_satisfied_signals(h0),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_WRITABLE, "");
	EXPECT_EQ(get_satisfied_signals(h1),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_WRITABLE, "");

	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, "hello1", 6u, &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 6u, "");
	EXPECT_EQ(get_satisfied_signals(h0), ZX_SOCKET_WRITABLE, "");
	EXPECT_EQ(get_satisfied_signals(h1), ZX_SOCKET_WRITABLE |
		  ZX_SOCKET_CONTROL_READABLE | ZX_SOCKET_CONTROL_WRITABLE, "");
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, "hi", 2u, NULL),
		  ZX_ERR_SHOULD_WAIT, "");

	EXPECT_EQ(zx_socket_write(h1, ZX_SOCKET_CONTROL, "hello0", 6u, &count),
		  ZX_OK, "");
	EXPECT_EQ(get_satisfied_signals(h0),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_READABLE, "");
	EXPECT_EQ(get_satisfied_signals(h1),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_READABLE, "");

	/* The control plane is independent of the data plane. */
	EXPECT_EQ(zx_socket_read(h0, 0, rbuf, sizeof(rbuf), &count),
		  ZX_ERR_SHOULD_WAIT, "");
	EXPECT_EQ(zx_socket_write(h0, 0, "normal", 7u, &count), ZX_OK, "");
	EXPECT_EQ(zx_socket_read(h1, 0, rbuf, sizeof(rbuf), &count), ZX_OK, "");
	EXPECT_EQ(count, 7u, "");
	EXPECT_EQ(memcmp(rbuf, "normal", 7), 0, "");

	/* Peek leaves the message; a short read truncates it. */
	EXPECT_EQ(zx_socket_read(h0, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK, rbuf,
				 sizeof(rbuf), &count), ZX_OK, "");
	EXPECT_EQ(count, 6u, "");
	EXPECT_EQ(zx_socket_read(h0, ZX_SOCKET_CONTROL, rbuf, 5u, &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 5u, "");
	EXPECT_EQ(memcmp(rbuf, "hello", 5), 0, "");
	EXPECT_EQ(zx_socket_read(h0, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_ERR_SHOULD_WAIT, "");

	EXPECT_EQ(zx_socket_read(h1, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 6u, "");
	EXPECT_EQ(memcmp(rbuf, "hello1", 6), 0, "");
	EXPECT_EQ(get_satisfied_signals(h0),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_WRITABLE, "");
	EXPECT_EQ(get_satisfied_signals(h1),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_CONTROL_WRITABLE, "");

	/* Limits: 1..1024 bytes. */
	static char big[1025];
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, big, 0u, NULL),
		  ZX_ERR_INVALID_ARGS, "");
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, big, 1025u, NULL),
		  ZX_ERR_OUT_OF_RANGE, "");
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, big, 1024u, &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 1024u, "");

	zx_handle_close(h1);
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, "x", 1u, NULL),
		  ZX_ERR_PEER_CLOSED, "");
	EXPECT_EQ(zx_socket_read(h0, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_ERR_SHOULD_WAIT, "");
	zx_handle_close(h0);
	END_TEST;
}

static bool socket_datagram_control_plane(void)
{
	BEGIN_TEST;
	zx_handle_t h0, h1;
	char rbuf[16];
	size_t count;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_DATAGRAM | ZX_SOCKET_HAS_CONTROL,
				   &h0, &h1), ZX_OK, "");
	EXPECT_EQ(zx_socket_write(h0, 0, "packet", 6u, &count), ZX_OK, "");
	EXPECT_EQ(zx_socket_write(h0, ZX_SOCKET_CONTROL, "ctl", 3u, &count),
		  ZX_OK, "");
	EXPECT_EQ(zx_socket_read(h1, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 3u, "");
	EXPECT_EQ(zx_socket_read(h1, 0, rbuf, sizeof(rbuf), &count), ZX_OK, "");
	EXPECT_EQ(count, 6u, "");
	zx_handle_close(h0);
	zx_handle_close(h1);
	END_TEST;
}

static bool socket_accept(void)
{
	BEGIN_TEST;
	zx_handle_t a0, a1, b0, b1, c0, c1, h, tmp;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &a0, &a1), ZX_OK, "");
	ASSERT_EQ(zx_socket_create(0, &b0, &b1), ZX_OK, "");
	ASSERT_EQ(zx_socket_create(0, &c0, &c1), ZX_OK, "");
	EXPECT_EQ(get_satisfied_signals(a0), ZX_SOCKET_WRITABLE | ZX_SOCKET_SHARE, "");
	EXPECT_EQ(get_satisfied_signals(a1), ZX_SOCKET_WRITABLE | ZX_SOCKET_SHARE, "");

	/* cannot share a HAS_ACCEPT socket */
	ASSERT_EQ(zx_handle_duplicate(a0, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(b0, tmp), ZX_ERR_BAD_STATE, "");
	/* cannot share via a non-HAS_ACCEPT socket */
	ASSERT_EQ(zx_handle_duplicate(c0, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(b0, tmp), ZX_ERR_NOT_SUPPORTED, "");
	/* cannot share a socket via itself (either direction) */
	ASSERT_EQ(zx_handle_duplicate(a0, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a0, tmp), ZX_ERR_BAD_STATE, "");
	ASSERT_EQ(zx_handle_duplicate(a1, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a0, tmp), ZX_ERR_BAD_STATE, "");
	ASSERT_EQ(zx_handle_duplicate(a0, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a1, tmp), ZX_ERR_BAD_STATE, "");
	ASSERT_EQ(zx_handle_duplicate(a1, ZX_RIGHT_SAME_RIGHTS, &tmp), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a1, tmp), ZX_ERR_BAD_STATE, "");
	/* the handle is gone after a failed share */
	EXPECT_EQ(zx_handle_close(tmp), ZX_ERR_BAD_HANDLE, "");
	/* without TRANSFER it cannot travel */
	ASSERT_EQ(zx_handle_duplicate(c0, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &tmp),
		  ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a0, tmp), ZX_ERR_ACCESS_DENIED, "");

	/* cannot accept from a non-HAS_ACCEPT socket */
	EXPECT_EQ(zx_socket_accept(b0, &h), ZX_ERR_NOT_SUPPORTED, "");

	zx_koid_t koid = get_koid(b0, NULL);
	EXPECT_EQ(zx_socket_share(a0, b0), ZX_OK, "");
	EXPECT_EQ(get_satisfied_signals(a0), ZX_SOCKET_WRITABLE, "");
	EXPECT_EQ(get_satisfied_signals(a1),
		  ZX_SOCKET_WRITABLE | ZX_SOCKET_SHARE | ZX_SOCKET_ACCEPT, "");
	/* the queued socket is alive: its peer sees no change */
	EXPECT_EQ(get_satisfied_signals(b1), ZX_SOCKET_WRITABLE, "");

	/* queue is only one deep */
	EXPECT_EQ(zx_socket_share(a0, b1), ZX_ERR_SHOULD_WAIT, "");

	EXPECT_EQ(zx_socket_accept(a1, &h), ZX_OK, "");
	b0 = h;
	EXPECT_EQ(get_koid(b0, NULL), koid, "");
	/* b1 went away in the failed share above */
	EXPECT_EQ(get_satisfied_signals(b0), ZX_SOCKET_PEER_CLOSED, "");
	EXPECT_EQ(zx_socket_accept(a0, &h), ZX_ERR_SHOULD_WAIT, "");
	EXPECT_EQ(zx_socket_accept(a1, &h), ZX_ERR_SHOULD_WAIT, "");
	EXPECT_EQ(get_satisfied_signals(a0), ZX_SOCKET_WRITABLE | ZX_SOCKET_SHARE, "");
	EXPECT_EQ(get_satisfied_signals(a1), ZX_SOCKET_WRITABLE | ZX_SOCKET_SHARE, "");

	zx_handle_close(a0);
	zx_handle_close(a1);
	zx_handle_close(b0);
	zx_handle_close(c0);
	zx_handle_close(c1);
	END_TEST;
}

static bool socket_share_and_talk(uint32_t type)
{
	BEGIN_TEST;
	zx_handle_t listen0, listen1, local, remote, h;
	zx_koid_t koid, related = 0;
	char rbuf[16];
	size_t count;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &listen0, &listen1),
		  ZX_OK, "");
	ASSERT_EQ(zx_socket_create(type | ZX_SOCKET_HAS_CONTROL, &local, &remote),
		  ZX_OK, "");
	koid = get_koid(remote, &related);
	EXPECT_EQ(zx_socket_share(listen0, remote), ZX_OK, "");
	EXPECT_EQ(zx_object_wait_one(listen1, ZX_SOCKET_ACCEPT,
				     zx_deadline_after(ZX_SEC(10)), NULL),
		  ZX_OK, "");
	EXPECT_EQ(zx_socket_accept(listen1, &h), ZX_OK, "");
	EXPECT_EQ(get_koid(h, NULL), koid, "");
	EXPECT_EQ(get_koid(local, NULL), related, "");

	EXPECT_EQ(zx_socket_write(h, 0, "ping", 4u, &count), ZX_OK, "");
	EXPECT_EQ(zx_socket_write(h, ZX_SOCKET_CONTROL, "op", 2u, &count), ZX_OK, "");
	EXPECT_EQ(zx_socket_read(local, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_OK, "");
	EXPECT_EQ(count, 2u, "");
	EXPECT_EQ(zx_socket_read(local, 0, rbuf, sizeof(rbuf), &count), ZX_OK, "");
	EXPECT_EQ(count, 4u, "");
	EXPECT_EQ(memcmp(rbuf, "ping", 4), 0, "");

	zx_handle_close(h);
	EXPECT_EQ(zx_object_wait_one(local, ZX_SOCKET_PEER_CLOSED,
				     zx_deadline_after(ZX_SEC(10)), NULL),
		  ZX_OK, "");
	zx_handle_close(local);
	zx_handle_close(listen0);
	zx_handle_close(listen1);
	END_TEST;
}

static bool socket_share_stream(void)
{
	return socket_share_and_talk(ZX_SOCKET_STREAM);
}

static bool socket_share_datagram(void)
{
	return socket_share_and_talk(ZX_SOCKET_DATAGRAM);
}

static bool socket_queued_socket_dies_with_the_queue(void)
{
	BEGIN_TEST;
	zx_handle_t a0, a1, b0, b1;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &a0, &a1), ZX_OK, "");
	ASSERT_EQ(zx_socket_create(0, &b0, &b1), ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a0, b0), ZX_OK, "");
	EXPECT_EQ(get_satisfied_signals(b1), ZX_SOCKET_WRITABLE, "");
	zx_handle_close(a1);
	EXPECT_EQ(zx_object_wait_one(b1, ZX_SOCKET_PEER_CLOSED,
				     zx_deadline_after(ZX_SEC(10)), NULL),
		  ZX_OK, "");
	EXPECT_EQ(zx_socket_share(a0, b1), ZX_ERR_PEER_CLOSED, "");
	zx_handle_close(a0);
	END_TEST;
}

struct waiter {
	zx_handle_t handle;
	zx_signals_t signals;
	zx_status_t status;
	zx_signals_t observed;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->status = zx_object_wait_one(w->handle, w->signals,
				       zx_deadline_after(ZX_SEC(10)), &w->observed);
	return NULL;
}

static bool socket_signals_wake_waiters(void)
{
	BEGIN_TEST;
	zx_handle_t a0, a1, b0, b1, h;
	struct waiter w;
	pthread_t thread;
	char rbuf[4];
	size_t count;

	ASSERT_EQ(zx_socket_create(ZX_SOCKET_HAS_ACCEPT | ZX_SOCKET_HAS_CONTROL,
				   &a0, &a1), ZX_OK, "");
	ASSERT_EQ(zx_socket_create(0, &b0, &b1), ZX_OK, "");

	w = (struct waiter){ .handle = a1, .signals = ZX_SOCKET_ACCEPT };
	ASSERT_EQ(pthread_create(&thread, NULL, wait_thread, &w), 0, "");
	zx_nanosleep(zx_deadline_after(ZX_MSEC(20)));
	EXPECT_EQ(zx_socket_share(a0, b0), ZX_OK, "");
	pthread_join(thread, NULL);
	EXPECT_EQ(w.status, ZX_OK, "");
	EXPECT_EQ(w.observed & ZX_SOCKET_ACCEPT, ZX_SOCKET_ACCEPT, "");

	w = (struct waiter){ .handle = a0, .signals = ZX_SOCKET_SHARE };
	ASSERT_EQ(pthread_create(&thread, NULL, wait_thread, &w), 0, "");
	zx_nanosleep(zx_deadline_after(ZX_MSEC(20)));
	EXPECT_EQ(zx_socket_accept(a1, &h), ZX_OK, "");
	pthread_join(thread, NULL);
	EXPECT_EQ(w.status, ZX_OK, "");
	EXPECT_EQ(w.observed & ZX_SOCKET_SHARE, ZX_SOCKET_SHARE, "");

	w = (struct waiter){ .handle = a1, .signals = ZX_SOCKET_CONTROL_READABLE };
	ASSERT_EQ(pthread_create(&thread, NULL, wait_thread, &w), 0, "");
	zx_nanosleep(zx_deadline_after(ZX_MSEC(20)));
	EXPECT_EQ(zx_socket_write(a0, ZX_SOCKET_CONTROL, "c", 1u, NULL), ZX_OK, "");
	pthread_join(thread, NULL);
	EXPECT_EQ(w.status, ZX_OK, "");

	/* wait_many: CONTROL_WRITABLE comes back when the peer reads */
	zx_wait_item_t items[2] = {
		{ .handle = b1, .waitfor = ZX_SOCKET_READABLE },
		{ .handle = a0, .waitfor = ZX_SOCKET_CONTROL_WRITABLE },
	};
	uint32_t num_items = 2;
	EXPECT_EQ(zx_object_wait_many(items, num_items, zx_deadline_after(ZX_MSEC(1))),
		  ZX_ERR_TIMED_OUT, "");
	EXPECT_EQ(zx_socket_read(a1, ZX_SOCKET_CONTROL, rbuf, sizeof(rbuf), &count),
		  ZX_OK, "");
	EXPECT_EQ(zx_object_wait_many(items, num_items, zx_deadline_after(ZX_SEC(10))),
		  ZX_OK, "");
	EXPECT_EQ(items[1].pending & ZX_SOCKET_CONTROL_WRITABLE,
		  ZX_SOCKET_CONTROL_WRITABLE, "");
	EXPECT_EQ(items[0].pending & ZX_SOCKET_READABLE, 0u, "");

	zx_handle_close(h);
	zx_handle_close(b1);
	zx_handle_close(a0);
	zx_handle_close(a1);
	END_TEST;
}

/* ---------------------------------------------------------------- main */

static const struct {
	const char *name;
	bool (*fn)(void);
} tests[] = {
	{ "socket_control_plane_absent", socket_control_plane_absent },
	{ "socket_control_plane", socket_control_plane },
	{ "socket_datagram_control_plane", socket_datagram_control_plane },
	{ "socket_accept", socket_accept },
	{ "socket_share_stream", socket_share_stream },
	{ "socket_share_datagram", socket_share_datagram },
	{ "socket_queued_socket_dies_with_the_queue",
	  socket_queued_socket_dies_with_the_queue },
	{ "socket_signals_wake_waiters", socket_signals_wake_waiters },
};

int main(void)
{
	int n = (int)(sizeof(tests) / sizeof(tests[0])), i, passed = 0;

	printf("TAP version 13\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		bool ok = tests[i].fn();

		passed += ok;
		printf("%s %d %s\n", ok ? "ok" : "not ok", i + 1, tests[i].name);
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       passed, n - passed);
	return passed == n ? 0 : 1;
}
