// SPDX-License-Identifier: GPL-2.0
/*
 * The older eras kept by zxsocket: share/accept (HAS_ACCEPT), the control
 * plane (HAS_CONTROL) and Magenta's half-close, through libzxsocket.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <magenta/syscalls.h>

/* The harness forks with locals gcc cannot prove safe; they are. */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

static zx_signals_t signals_of(zx_handle_t h)
{
	zx_signals_t observed = 0;

	zx_object_wait_one(h, 0, 0, &observed);
	return observed;
}

static int fd_open(zx_handle_t h)
{
	return fcntl((int)h, F_GETFD) >= 0;
}

FIXTURE(accept) {
	zx_handle_t a, b;	/* the HAS_ACCEPT socket */
	zx_handle_t x, y;	/* a plain socket to move through it */
};

FIXTURE_SETUP(accept)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &self->a,
					  &self->b));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->x, &self->y));
}

FIXTURE_TEARDOWN(accept)
{
	zx_handle_close(self->a);
	zx_handle_close(self->b);
	zx_handle_close(self->y);
}

TEST_F(accept, share_moves_endpoint_and_accept_installs_it)
{
	zx_handle_t got, none;
	size_t n;
	char c;

	EXPECT_TRUE(signals_of(self->a) & ZX_SOCKET_SHARE);
	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	EXPECT_FALSE(fd_open(self->x));		/* consumed */
	EXPECT_FALSE(signals_of(self->a) & ZX_SOCKET_SHARE);
	EXPECT_TRUE(signals_of(self->b) & ZX_SOCKET_ACCEPT);
	/* Queued, the endpoint is alive: its peer sees nothing change. */
	EXPECT_FALSE(signals_of(self->y) & ZX_SOCKET_PEER_CLOSED);

	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	EXPECT_FALSE(signals_of(self->b) & ZX_SOCKET_ACCEPT);
	EXPECT_TRUE(signals_of(self->a) & ZX_SOCKET_SHARE);
	ASSERT_EQ(ZX_OK, zx_socket_write(got, 0, "z", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, &c, 1, &n));
	EXPECT_EQ('z', c);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(self->b, &none));
	zx_handle_close(got);
	EXPECT_TRUE(signals_of(self->y) & ZX_SOCKET_PEER_CLOSED);
}

TEST_F(accept, queue_is_one_deep_and_failure_consumes)
{
	zx_handle_t p, q;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_share(self->a, p));
	EXPECT_FALSE(fd_open(p));		/* consumed on failure too */
	EXPECT_TRUE(signals_of(q) & ZX_SOCKET_PEER_CLOSED);
	zx_handle_close(q);
}

TEST_F(accept, share_errors_in_order)
{
	zx_handle_t p, q, ro, none;

	/* The socket itself or its peer: BAD_STATE. */
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->a, ZX_RIGHT_SAME_RIGHTS, &p));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, p));
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->b, ZX_RIGHT_SAME_RIGHTS, &p));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, p));
	/* A HAS_ACCEPT socket cannot be shared: no cycles. */
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &p, &q));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, p));
	zx_handle_close(q);
	/* No TRANSFER right: ACCESS_DENIED. */
	ASSERT_EQ(ZX_OK, zx_handle_replace(self->x,
					   ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_TRANSFER,
					   &p));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(self->a, p));
	/* A socket without HAS_ACCEPT cannot share: NOT_SUPPORTED. */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->x, &ro));
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED, zx_socket_share(p, self->x));
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED, zx_socket_accept(q, &none));
	zx_handle_close(p);
	zx_handle_close(q);
	zx_handle_close(ro);
	/* A closed fd: BAD_HANDLE. */
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(self->a, 1000));
}

TEST_F(accept, queued_endpoint_dies_with_its_queue)
{
	zx_handle_t p, q;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	EXPECT_FALSE(signals_of(self->y) & ZX_SOCKET_PEER_CLOSED);
	zx_handle_close(self->b);
	self->b = ZX_HANDLE_INVALID;
	/* The close releases the queue's file as the task returns. */
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->y, ZX_SOCKET_PEER_CLOSED,
					    zx_deadline_after(ZX_SEC(10)), NULL));
	/* With the receiver gone, sharing fails and still consumes. */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_share(self->a, p));
	EXPECT_FALSE(fd_open(p));
	zx_handle_close(q);
}

FIXTURE(control) {
	zx_handle_t a, b;
};

FIXTURE_SETUP(control)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_CONTROL, &self->a,
					  &self->b));
}

FIXTURE_TEARDOWN(control)
{
	zx_handle_close(self->a);
	zx_handle_close(self->b);
}

TEST_F(control, one_message_slot_with_signals_peek_and_truncation)
{
	char big[1025] = { 0 }, buf[16];
	size_t n;

	EXPECT_TRUE(signals_of(self->a) & ZX_SOCKET_CONTROL_WRITABLE);
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 0, &n));
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 1025, &n));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 16, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "control", 7, &n));
	EXPECT_EQ(7, n);
	EXPECT_FALSE(signals_of(self->a) & ZX_SOCKET_CONTROL_WRITABLE);
	EXPECT_TRUE(signals_of(self->b) & ZX_SOCKET_CONTROL_READABLE);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, "x", 1, &n));
	/* Shutdown does not touch the control plane. */
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->a, ZX_SOCKET_SHUTDOWN_WRITE));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
					buf, 16, &n));
	EXPECT_EQ(7, n);
	EXPECT_TRUE(signals_of(self->b) & ZX_SOCKET_CONTROL_READABLE);
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 3, &n));
	EXPECT_EQ(3, n);
	EXPECT_EQ(0, memcmp(buf, "con", 3));
	EXPECT_FALSE(signals_of(self->b) & ZX_SOCKET_CONTROL_READABLE);
	EXPECT_TRUE(signals_of(self->a) & ZX_SOCKET_CONTROL_WRITABLE);
}

TEST(control_needs_has_control)
{
	zx_handle_t a, b;
	size_t n;
	char c;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	EXPECT_EQ(ZX_ERR_BAD_STATE,
		  zx_socket_write(a, ZX_SOCKET_CONTROL, "x", 1, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE,
		  zx_socket_read(b, ZX_SOCKET_CONTROL, &c, 1, &n));
	zx_handle_close(a);
	zx_handle_close(b);
}

TEST(magenta_half_close)
{
	mx_handle_t a, b;
	size_t n;
	char buf[8];

	ASSERT_EQ(MX_OK, mx_socket_create(MX_SOCKET_STREAM, &a, &b));
	ASSERT_EQ(MX_OK, mx_socket_write(a, 0, "ab", 2, &n));
	EXPECT_EQ(MX_ERR_INVALID_ARGS,
		  mx_socket_write(a, MX_SOCKET_HALF_CLOSE, "x", 1, &n));
	ASSERT_EQ(MX_OK, mx_socket_write(a, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
	EXPECT_EQ(MX_OK, mx_socket_write(a, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
	EXPECT_FALSE(signals_of(a) & MX_SOCKET_WRITABLE);
	EXPECT_EQ(MX_ERR_BAD_STATE, mx_socket_write(a, 0, "c", 1, &n));
	EXPECT_TRUE(signals_of(b) & MX_SOCKET_PEER_CLOSED);
	/* The peer drains, then reads PEER_CLOSED, and can still write back. */
	ASSERT_EQ(MX_OK, mx_socket_read(b, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(2, n);
	EXPECT_EQ(MX_ERR_PEER_CLOSED, mx_socket_read(b, 0, buf, sizeof(buf), &n));
	ASSERT_EQ(MX_OK, mx_socket_write(b, 0, "back", 4, &n));
	ASSERT_EQ(MX_OK, mx_socket_read(a, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(4, n);
	/* Zircon's write keeps its own options: HALF_CLOSE is not one. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_write(b, 1, NULL, 0, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST_HARNESS_MAIN
