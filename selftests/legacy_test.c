// SPDX-License-Identifier: GPL-2.0
/*
 * The older eras kept by zxsocket, within one process and through
 * libzxsocket, for stream and datagram sockets:
 *
 *  - share/accept (HAS_ACCEPT): moving an endpoint, the one-deep queue,
 *    the SHARE/ACCEPT signals, rights travelling with the handle, the
 *    lifetime of a queued endpoint, and every error in the documented
 *    check order, with the shared fd consumed in every case;
 *  - the control plane (HAS_CONTROL): the 1024-byte slot per direction,
 *    its signals, PEEK, truncation, its errors in order, bad buffers, and
 *    its independence from the data plane, shutdown and dispositions;
 *  - Magenta's half-close through <magenta/syscalls.h>.
 *
 * Sharing across processes, the no-cycle proof and the signal hand-offs
 * to blocked waiters are in legacy_share_test.c.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>

/* All four headers in one translation unit, as Fuchsia code may do. */
#include <zircon/syscalls.h>
#include <zircon/types.h>
#include <magenta/syscalls.h>
#include <magenta/types.h>

/* The harness forks with locals gcc cannot prove safe; they are. */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_test_util.h"

#define R	ZX_SOCKET_READABLE
#define W	ZX_SOCKET_WRITABLE
#define PC	ZX_SOCKET_PEER_CLOSED
#define CR	ZX_SOCKET_CONTROL_READABLE
#define CW	ZX_SOCKET_CONTROL_WRITABLE
#define AC	ZX_SOCKET_ACCEPT
#define SH	ZX_SOCKET_SHARE

#define ALL	ZX_DEFAULT_SOCKET_RIGHTS

/* The fd behind @h is closed: the call consumed the handle. */
static bool consumed(zx_handle_t h)
{
	return fcntl((int)h, F_GETFD) == -1 && errno == EBADF;
}

/* A second handle to @h's endpoint with @h's rights. */
static zx_handle_t dup_of(zx_handle_t h)
{
	zx_handle_t out = ZX_HANDLE_INVALID;

	if (zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &out) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return out;
}

static zx_koid_t related_koid(zx_handle_t h)
{
	zx_info_handle_basic_t basic;

	if (zxs_basic(h, &basic) != ZX_OK)
		return ZX_KOID_INVALID;
	return basic.related_koid;
}

/* ================================================================ accept */

FIXTURE(accept) {
	zx_handle_t a, b;	/* the HAS_ACCEPT socket (the carrier) */
	zx_handle_t x, y;	/* a socket to move through it */
};

FIXTURE_VARIANT(accept) {
	uint32_t carrier;	/* type of the carrier, | HAS_ACCEPT */
	uint32_t shared;	/* options of the socket moved */
};

FIXTURE_VARIANT_ADD(accept, stream_carries_stream) {
	.carrier = ZX_SOCKET_STREAM, .shared = ZX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(accept, stream_carries_datagram) {
	.carrier = ZX_SOCKET_STREAM, .shared = ZX_SOCKET_DATAGRAM,
};

FIXTURE_VARIANT_ADD(accept, datagram_carries_stream) {
	.carrier = ZX_SOCKET_DATAGRAM, .shared = ZX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(accept, datagram_carries_datagram_control) {
	.carrier = ZX_SOCKET_DATAGRAM | ZX_SOCKET_HAS_CONTROL,
	.shared = ZX_SOCKET_DATAGRAM | ZX_SOCKET_HAS_CONTROL,
};

FIXTURE_SETUP(accept)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->carrier | ZX_SOCKET_HAS_ACCEPT,
					  &self->a, &self->b));
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->shared, &self->x, &self->y));
}

FIXTURE_TEARDOWN(accept)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
	zxs_close(&self->x);
	zxs_close(&self->y);
}

/* What the carrier's ends assert when nothing is queued. */
static zx_signals_t carrier_idle(const FIXTURE_VARIANT(accept) *v)
{
	return W | SH | ((v->carrier & ZX_SOCKET_HAS_CONTROL) ? CW : 0);
}

TEST_F(accept, share_moves_endpoint_and_accept_installs_it)
{
	zx_signals_t idle = carrier_idle(variant), ysig;
	zx_koid_t koid = zxs_koid(self->x);
	zx_handle_t got = ZX_HANDLE_INVALID, none = ZX_HANDLE_INVALID;
	char buf[16];
	size_t n;

	EXPECT_EQ(idle, zxs_signals(self->a));
	EXPECT_EQ(idle, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "one", 3, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "two", 3, &n));
	ysig = zxs_signals(self->y);

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	EXPECT_TRUE(consumed(self->x));
	self->x = ZX_HANDLE_INVALID;
	EXPECT_EQ(idle & ~SH, zxs_signals(self->a));
	EXPECT_EQ(idle | AC, zxs_signals(self->b));
	/* Queued, the endpoint is alive: its peer sees nothing change. */
	EXPECT_EQ(ysig, zxs_signals(self->y));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "three", 5, &n));
	EXPECT_EQ(5, n);
	/* Only the receiving end accepts. */
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(self->a, &none));

	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	EXPECT_NE(ZX_HANDLE_INVALID, got);
	EXPECT_EQ(idle, zxs_signals(self->a));
	EXPECT_EQ(idle, zxs_signals(self->b));
	EXPECT_EQ(koid, zxs_koid(got));
	EXPECT_EQ(ALL, zxs_rights(got));
	/* The accepted fd is close-on-exec, like every new handle. */
	EXPECT_EQ(FD_CLOEXEC, fcntl((int)got, F_GETFD));

	/* What was queued before and during the share is all there. */
	if (variant->shared & ZX_SOCKET_DATAGRAM) {
		ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, buf, sizeof(buf), &n));
		EXPECT_EQ(3, n);
		EXPECT_EQ(0, memcmp(buf, "one", 3));
		ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, buf, sizeof(buf), &n));
		EXPECT_EQ(3, n);
		ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, buf, sizeof(buf), &n));
		EXPECT_EQ(5, n);
		EXPECT_EQ(0, memcmp(buf, "three", 5));
	} else {
		ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, buf, sizeof(buf), &n));
		EXPECT_EQ(11, n);
		EXPECT_EQ(0, memcmp(buf, "onetwothree", 11));
	}
	ASSERT_EQ(ZX_OK, zx_socket_write(got, 0, "back", 4, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(self->b, &none));
	EXPECT_EQ(ZX_HANDLE_INVALID, none);

	zx_handle_close(got);
	EXPECT_EQ(PC, zxs_signals(self->y) & (PC | W));
}

TEST_F(accept, both_directions_have_their_own_queue)
{
	zx_signals_t idle = carrier_idle(variant);
	zx_handle_t gx = ZX_HANDLE_INVALID, gy = ZX_HANDLE_INVALID;
	char c = 0;
	size_t n;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	/* a's queue is full, b's direction is still free. */
	ASSERT_EQ(ZX_OK, zx_socket_share(self->b, self->y));
	self->y = ZX_HANDLE_INVALID;
	EXPECT_EQ((idle & ~SH) | AC, zxs_signals(self->a));
	EXPECT_EQ((idle & ~SH) | AC, zxs_signals(self->b));

	ASSERT_EQ(ZX_OK, zx_socket_accept(self->a, &gy));
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &gx));
	EXPECT_EQ(idle, zxs_signals(self->a));
	EXPECT_EQ(idle, zxs_signals(self->b));
	EXPECT_EQ(zxs_koid(gx), related_koid(gy));
	ASSERT_EQ(ZX_OK, zx_socket_write(gx, 0, "q", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(gy, 0, &c, 1, &n));
	EXPECT_EQ('q', c);
	zx_handle_close(gx);
	zx_handle_close(gy);
}

TEST_F(accept, queue_is_one_deep_and_every_failure_consumes)
{
	zx_handle_t p, q, got = ZX_HANDLE_INVALID;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->shared, &p, &q));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_share(self->a, p));
	EXPECT_TRUE(consumed(p));
	EXPECT_EQ(PC, zxs_signals(q) & (PC | W));
	zx_handle_close(q);
	/* The first one is still queued, untouched. */
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	EXPECT_EQ(zxs_koid(got), related_koid(self->y));
	zx_handle_close(got);
}

TEST_F(accept, rights_travel_with_the_handle)
{
	static const zx_rights_t sets[] = {
		ZX_RIGHT_TRANSFER,
		ZX_RIGHT_TRANSFER | ZX_RIGHT_READ | ZX_RIGHT_WAIT,
		ALL & ~ZX_RIGHT_DUPLICATE,
		ALL,
	};
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		zx_handle_t s = zxs_handle_with_rights(self->x, sets[i]);
		zx_handle_t got = ZX_HANDLE_INVALID;
		zx_signals_t obs;

		ASSERT_NE(ZX_HANDLE_INVALID, s);
		ASSERT_EQ(ZX_OK, zx_socket_share(self->a, s));
		EXPECT_TRUE(consumed(s));
		ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
		EXPECT_EQ(sets[i], zxs_rights(got));
		EXPECT_EQ(sets[i] & ZX_RIGHT_WAIT ? ZX_ERR_TIMED_OUT :
			  ZX_ERR_ACCESS_DENIED,
			  zx_object_wait_one(got, 0, 0, &obs));
		zx_handle_close(got);
	}
	/* x still held the endpoint all along. */
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
}

TEST_F(accept, write_only_shares_read_only_accepts)
{
	zx_handle_t wo = zxs_handle_with_rights(self->a, ALL & ~ZX_RIGHT_READ);
	zx_handle_t ro = zxs_handle_with_rights(self->b, ALL & ~ZX_RIGHT_WRITE);
	zx_handle_t got = ZX_HANDLE_INVALID;

	ASSERT_NE(ZX_HANDLE_INVALID, wo);
	ASSERT_NE(ZX_HANDLE_INVALID, ro);
	/* share needs WRITE, accept needs READ. */
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_accept(wo, &got));
	ASSERT_EQ(ZX_OK, zx_socket_share(wo, self->x));
	self->x = ZX_HANDLE_INVALID;
	ASSERT_EQ(ZX_OK, zx_socket_accept(ro, &got));
	zx_handle_close(got);
	zx_handle_close(wo);
	zx_handle_close(ro);
}

TEST_F(accept, queued_endpoint_dies_with_its_queue)
{
	zx_handle_t p, q;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
	zx_handle_close(self->b);
	self->b = ZX_HANDLE_INVALID;
	/* The queue is gone with b, and the endpoint with it, at once. */
	EXPECT_EQ(PC, zxs_signals(self->y) & (PC | W));
	/* With the receiver gone, sharing fails and still consumes. */
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->shared, &p, &q));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_share(self->a, p));
	EXPECT_TRUE(consumed(p));
	EXPECT_EQ(PC, zxs_signals(q) & (PC | W));
	zx_handle_close(q);
}

TEST_F(accept, queue_outlives_the_sender)
{
	zx_signals_t idle = carrier_idle(variant), ysig;
	zx_handle_t got = ZX_HANDLE_INVALID;
	char c = 0;
	size_t n;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	ysig = zxs_signals(self->y);
	zx_handle_close(self->a);
	self->a = ZX_HANDLE_INVALID;
	EXPECT_EQ(ysig, zxs_signals(self->y));
	/* b loses WRITABLE only: SHARE and CONTROL_WRITABLE stay, as in Zircon. */
	EXPECT_EQ((idle & ~W) | AC | PC, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	EXPECT_EQ((idle & ~W) | PC, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_write(got, 0, "k", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, &c, 1, &n));
	EXPECT_EQ('k', c);
	zx_handle_close(got);
}

TEST_F(accept, accepted_endpoint_can_travel_again)
{
	zx_handle_t c, d, got = ZX_HANDLE_INVALID, again = ZX_HANDLE_INVALID;
	zx_koid_t koid = zxs_koid(self->x);
	char ch = 0;
	size_t n;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &c, &d));
	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	ASSERT_EQ(ZX_OK, zx_socket_share(d, got));
	EXPECT_TRUE(consumed(got));
	ASSERT_EQ(ZX_OK, zx_socket_accept(c, &again));
	EXPECT_EQ(koid, zxs_koid(again));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "m", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(again, 0, &ch, 1, &n));
	EXPECT_EQ('m', ch);
	zx_handle_close(again);
	zx_handle_close(c);
	zx_handle_close(d);
}

/*
 * Share's checks, in order: handle (BAD_HANDLE, WRONG_TYPE, no WRITE:
 * ACCESS_DENIED), socket_to_share (BAD_HANDLE, no TRANSFER:
 * ACCESS_DENIED, WRONG_TYPE), BAD_STATE (HAS_ACCEPT, the socket itself or
 * its peer), NOT_SUPPORTED (no HAS_ACCEPT), PEER_CLOSED, SHOULD_WAIT.
 * Each case below makes two checks fail at once; the earlier one wins, and
 * socket_to_share is consumed whatever happens.
 */
TEST_F(accept, share_handle_errors_come_first)
{
	zx_handle_t s, ro, p, q, pro;
	int pfd[2];

	/* A closed handle, or 0: BAD_HANDLE, the socket still consumed. */
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(zxs_closed_fd(), s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(ZX_HANDLE_INVALID, s));
	EXPECT_TRUE(consumed(s));
	/* Not a socket: WRONG_TYPE; the pipe is not touched. */
	ASSERT_EQ(0, pipe(pfd));
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_socket_share((zx_handle_t)pfd[0], s));
	EXPECT_TRUE(consumed(s));
	EXPECT_TRUE(zxs_fd_is_open(pfd[0]));
	/* No WRITE beats a bad, untransferable, or queued-up socket_to_share. */
	ro = zxs_handle_with_rights(self->a, ALL & ~ZX_RIGHT_WRITE);
	ASSERT_NE(ZX_HANDLE_INVALID, ro);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(ro, zxs_closed_fd()));
	s = zxs_handle_with_rights(self->x, ALL & ~ZX_RIGHT_TRANSFER);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(ro, s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(self->b);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(ro, s));
	EXPECT_TRUE(consumed(s));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(ro, (zx_handle_t)pfd[1]));
	EXPECT_TRUE(consumed(pfd[1]));
	/* ... and a socket without HAS_ACCEPT. */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));
	pro = zxs_handle_with_rights(p, ALL & ~ZX_RIGHT_WRITE);
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(pro, s));
	EXPECT_TRUE(consumed(s));
	/* Nothing was queued by any of that. */
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->b));
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
	zx_handle_close(ro);
	zx_handle_close(pro);
	zx_handle_close(p);
	zx_handle_close(q);
	close(pfd[0]);
}

TEST_F(accept, share_socket_to_share_errors_in_order)
{
	zx_handle_t s, p, q, c, d;
	int pfd[2];

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));	/* no HAS_ACCEPT */
	/* A bad socket_to_share beats NOT_SUPPORTED. */
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(p, zxs_closed_fd()));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(p, ZX_HANDLE_INVALID));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_share(self->a, zxs_closed_fd()));

	/* No TRANSFER beats BAD_STATE (HAS_ACCEPT, itself, its peer)... */
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &c, &d));
	ASSERT_EQ(ZX_OK, zx_handle_replace(c, ALL & ~ZX_RIGHT_TRANSFER, &s));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(self->a, s));
	EXPECT_TRUE(consumed(s));
	EXPECT_EQ(PC, zxs_signals(d) & PC);	/* c's only handle is gone */
	zx_handle_close(d);
	s = zxs_handle_with_rights(self->a, ALL & ~ZX_RIGHT_TRANSFER);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(self->a, s));
	EXPECT_TRUE(consumed(s));
	s = zxs_handle_with_rights(self->b, ALL & ~ZX_RIGHT_TRANSFER);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(self->a, s));
	EXPECT_TRUE(consumed(s));
	/* ... and NOT_SUPPORTED. */
	s = zxs_handle_with_rights(self->x, ALL & ~ZX_RIGHT_TRANSFER);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_share(p, s));
	EXPECT_TRUE(consumed(s));

	/* Not a socket: WRONG_TYPE, beats NOT_SUPPORTED; the fd is closed. */
	ASSERT_EQ(0, pipe(pfd));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_socket_share(self->a, (zx_handle_t)pfd[0]));
	EXPECT_TRUE(consumed(pfd[0]));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_socket_share(p, (zx_handle_t)pfd[1]));
	EXPECT_TRUE(consumed(pfd[1]));

	/* BAD_STATE beats NOT_SUPPORTED: the socket itself or its peer... */
	s = dup_of(p);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(p, s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(q);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(p, s));
	EXPECT_TRUE(consumed(s));
	/* ... or a HAS_ACCEPT socket. */
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_ACCEPT, &c, &d));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(p, c));
	EXPECT_TRUE(consumed(c));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, d));
	EXPECT_TRUE(consumed(d));

	/* NOT_SUPPORTED beats PEER_CLOSED. */
	zx_handle_close(q);
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED, zx_socket_share(p, s));
	EXPECT_TRUE(consumed(s));
	zx_handle_close(p);

	/* The carrier saw none of it. */
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->a));
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->b));
}

TEST_F(accept, share_own_ends_is_bad_state_and_consumes)
{
	zx_handle_t s;

	s = dup_of(self->a);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(self->b);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(self->a);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->b, s));
	EXPECT_TRUE(consumed(s));
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->a));
	/* The very fd as both arguments: BAD_STATE, and it is gone. */
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->a, self->a));
	EXPECT_TRUE(consumed(self->a));
	self->a = ZX_HANDLE_INVALID;
	EXPECT_EQ(PC, zxs_signals(self->b) & (PC | W));
	/* BAD_STATE beats PEER_CLOSED. */
	s = dup_of(self->b);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_share(self->b, s));
	EXPECT_TRUE(consumed(s));
	s = dup_of(self->x);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_share(self->b, s));
	EXPECT_TRUE(consumed(s));
}

TEST_F(accept, share_anything_without_accept_is_fine)
{
	zx_handle_t p, q, got = ZX_HANDLE_INVALID;
	char buf[4];
	size_t n;

	/* A HAS_CONTROL socket has no queue of its own: it may travel. */
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_HAS_CONTROL |
					  ZX_SOCKET_DATAGRAM, &p, &q));
	ASSERT_EQ(ZX_OK, zx_socket_share(self->b, p));
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->a, &got));
	ASSERT_EQ(ZX_OK, zx_socket_write(got, ZX_SOCKET_CONTROL, "ctl", 3, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(q, ZX_SOCKET_CONTROL, buf, 4, &n));
	EXPECT_EQ(3, n);
	zx_handle_close(got);
	zx_handle_close(q);
}

TEST_F(accept, accept_errors_in_order)
{
	zx_handle_t p, q, wo, got = 12345;
	int pfd[2], lowest;

	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_accept(zxs_closed_fd(), &got));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_accept(ZX_HANDLE_INVALID, &got));
	ASSERT_EQ(0, pipe(pfd));
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_socket_accept((zx_handle_t)pfd[0], &got));
	close(pfd[0]);
	close(pfd[1]);
	/* No READ beats NOT_SUPPORTED and SHOULD_WAIT. */
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->shared, &p, &q));
	wo = zxs_handle_with_rights(p, ALL & ~ZX_RIGHT_READ);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_accept(wo, &got));
	zx_handle_close(wo);
	wo = zxs_handle_with_rights(self->b, ALL & ~ZX_RIGHT_READ);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_accept(wo, &got));
	/* NOT_SUPPORTED, even with the peer gone. */
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED, zx_socket_accept(p, &got));
	zx_handle_close(q);
	EXPECT_EQ(ZX_ERR_NOT_SUPPORTED, zx_socket_accept(p, &got));
	zx_handle_close(p);
	/* Empty: SHOULD_WAIT, also once the peer is gone. */
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(self->b, &got));
	zx_handle_close(self->a);
	self->a = ZX_HANDLE_INVALID;
	zx_handle_close(wo);
	lowest = zxs_lowest_free_fd();
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_accept(self->b, &got));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_socket_accept(zxs_closed_fd(), &got));
	EXPECT_EQ(12345, got);	/* never written on failure */
	EXPECT_EQ(lowest, zxs_lowest_free_fd());	/* no fd left behind */
}

TEST_F(accept, accept_into_null_loses_the_endpoint_not_an_fd)
{
	int lowest;

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	lowest = zxs_lowest_free_fd();
	/* As in Zircon: dequeued, then the out copy fails; it dies. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_accept(self->b, NULL));
	EXPECT_EQ(lowest, zxs_lowest_free_fd());
	EXPECT_EQ(PC, zxs_signals(self->y) & PC);
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->a));
	EXPECT_EQ(carrier_idle(variant), zxs_signals(self->b));
}

/* =============================================================== control */

FIXTURE(control) {
	zx_handle_t a, b;
	zx_signals_t idle;	/* each end's signals with nothing queued */
};

FIXTURE_VARIANT(control) {
	uint32_t options;
};

FIXTURE_VARIANT_ADD(control, stream) {
	.options = ZX_SOCKET_STREAM | ZX_SOCKET_HAS_CONTROL,
};

FIXTURE_VARIANT_ADD(control, datagram) {
	.options = ZX_SOCKET_DATAGRAM | ZX_SOCKET_HAS_CONTROL,
};

FIXTURE_VARIANT_ADD(control, stream_accept) {
	.options = ZX_SOCKET_STREAM | ZX_SOCKET_HAS_CONTROL |
		   ZX_SOCKET_HAS_ACCEPT,
};

FIXTURE_VARIANT_ADD(control, datagram_accept) {
	.options = ZX_SOCKET_DATAGRAM | ZX_SOCKET_HAS_CONTROL |
		   ZX_SOCKET_HAS_ACCEPT,
};

FIXTURE_SETUP(control)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->options, &self->a, &self->b));
	self->idle = W | CW |
		((variant->options & ZX_SOCKET_HAS_ACCEPT) ? SH : 0);
}

FIXTURE_TEARDOWN(control)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
}

TEST_F(control, one_message_slot_with_signals_peek_and_truncation)
{
	char buf[16];
	size_t n = 77;

	EXPECT_EQ(self->idle, zxs_signals(self->a));
	EXPECT_EQ(self->idle, zxs_signals(self->b));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 16, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL,
					 "control", 7, &n));
	EXPECT_EQ(7, n);
	EXPECT_EQ(self->idle & ~CW, zxs_signals(self->a));
	EXPECT_EQ(self->idle | CR, zxs_signals(self->b));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, "x", 1, &n));
	/* The other direction has its own slot. */
	ASSERT_EQ(ZX_OK, zx_socket_write(self->b, ZX_SOCKET_CONTROL, "up", 2, &n));
	EXPECT_EQ(self->idle & ~CW, zxs_signals(self->b) & ~CR);
	ASSERT_EQ(ZX_OK, zx_socket_read(self->a, ZX_SOCKET_CONTROL, buf, 16, &n));
	EXPECT_EQ(2, n);

	/* PEEK, also short: truncated copy, nothing consumed, no signal. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
					buf, 16, &n));
	EXPECT_EQ(7, n);
	EXPECT_EQ(0, memcmp(buf, "control", 7));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
					buf, 2, &n));
	EXPECT_EQ(2, n);
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
					NULL, 0, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(self->idle | CR, zxs_signals(self->b));
	EXPECT_EQ(self->idle & ~CW, zxs_signals(self->a));
	/* A short read truncates and takes the whole message. */
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 3, &n));
	EXPECT_EQ(3, n);
	EXPECT_EQ(0, memcmp(buf, "con\0", 4));
	EXPECT_EQ(self->idle, zxs_signals(self->b));
	EXPECT_EQ(self->idle, zxs_signals(self->a));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 16, &n));
	/* As in Zircon, a zero-length read takes the message too. */
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "z", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, NULL, 0, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(self->idle, zxs_signals(self->b));
}

TEST_F(control, largest_message_and_independent_planes)
{
	static char big[1024], got[1100];
	char buf[8];
	size_t n;

	zxs_pattern_fill(big, sizeof(big), 4, 0);
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, big,
					 sizeof(big), &n));
	EXPECT_EQ(1024, n);
	/* Control and data are separate: nothing readable on the data plane. */
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->b, 0, buf, 8, &n));
	EXPECT_EQ(0, zxs_queued(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, 0, "data", 4, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, 0, buf, 8, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, memcmp(buf, "data", 4));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, got,
					sizeof(got), &n));
	EXPECT_EQ(1024, n);
	EXPECT_EQ(-1, zxs_pattern_check(got, n, 4, 0));
	/* A full data queue does not block the control plane. */
	ASSERT_EQ(ZX_OK, zxs_fill(self->a, NULL));
	EXPECT_EQ(0, zxs_signals(self->a) & W);
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "c", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(1, n);
}

/*
 * Control write, in order: options and NULL buffer (INVALID_ARGS), no
 * WRITE (ACCESS_DENIED), no HAS_CONTROL (BAD_STATE), len 0
 * (INVALID_ARGS), len > 1024 (OUT_OF_RANGE), peer gone (PEER_CLOSED),
 * slot full (SHOULD_WAIT).  Two failing at once: the earlier wins.
 */
TEST_F(control, write_errors_in_order)
{
	static char big[1025];
	zx_handle_t ro, p, q;
	size_t n = 77;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
				  "x", 1, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, NULL, 1, &n));
	ro = zxs_handle_with_rights(self->a, ALL & ~ZX_RIGHT_WRITE);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_socket_write(ro, ZX_SOCKET_CONTROL, big, 0, &n));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_socket_write(ro, ZX_SOCKET_CONTROL, big, 1025, &n));
	zx_handle_close(ro);

	/* No HAS_CONTROL beats the length checks and PEER_CLOSED. */
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->options & ~ZX_SOCKET_HAS_CONTROL,
					  &p, &q));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_write(p, ZX_SOCKET_CONTROL, big, 0, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_write(p, ZX_SOCKET_CONTROL, NULL, 0, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE,
		  zx_socket_write(p, ZX_SOCKET_CONTROL, big, 1025, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(q, ZX_SOCKET_CONTROL, big, 1, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE,
		  zx_socket_read(q, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK, big, 1, &n));
	zx_handle_close(q);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_write(p, ZX_SOCKET_CONTROL, "x", 1, &n));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(p, ZX_SOCKET_CONTROL, big, 1, &n));
	zx_handle_close(p);

	/* len 0 and len > 1024 beat a full slot... */
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "f", 1, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 0, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, NULL, 0, &n));
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 1025, &n));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 1024, &n));
	/* ... and PEER_CLOSED. */
	n = 77;
	zx_handle_close(self->b);
	self->b = ZX_HANDLE_INVALID;
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 0, &n));
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 1025, &n));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, big, 1, &n));
	EXPECT_EQ(77, n);	/* actual is only written on success */
}

TEST_F(control, read_errors_and_a_dead_peer)
{
	zx_handle_t wo;
	char buf[8];
	size_t n = 77;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL | 1, buf, 8, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, NULL, 8, &n));
	wo = zxs_handle_with_rights(self->b, ALL & ~ZX_RIGHT_READ);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_socket_read(wo, ZX_SOCKET_CONTROL, buf, 8, &n));
	zx_handle_close(wo);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
				 buf, 8, &n));

	/* A message sent before the peer died is still there... */
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "last", 4, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->b, ZX_SOCKET_CONTROL, "lost", 4, &n));
	zx_handle_close(self->a);
	self->a = ZX_HANDLE_INVALID;
	EXPECT_EQ((self->idle & ~(W | CW)) | CR | PC, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, memcmp(buf, "last", 4));
	/* ... and CONTROL_WRITABLE does not come back for a dead peer. */
	EXPECT_EQ((self->idle & ~(W | CW)) | PC, zxs_signals(self->b));
	/* Empty with the peer gone: still SHOULD_WAIT, unlike the data plane. */
	n = 77;
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
				 buf, 8, &n));
	EXPECT_EQ(77, n);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_read(self->b, 0, buf, 8, &n));
}

TEST_F(control, unaffected_by_shutdown_and_disposition)
{
	char buf[8];
	size_t n;

	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->a, ZX_SOCKET_SHUTDOWN_WRITE |
					    ZX_SOCKET_SHUTDOWN_READ));
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->b, ZX_SOCKET_SHUTDOWN_WRITE));
	EXPECT_EQ(CW, zxs_signals(self->a) & (CW | CR));
	EXPECT_EQ(CW, zxs_signals(self->b) & (CW | CR));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_write(self->a, 0, "d", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "ab", 2, &n));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->b, ZX_SOCKET_CONTROL, "ba", 2, &n));
	EXPECT_EQ(CR, zxs_signals(self->a) & (CW | CR));
	EXPECT_EQ(CR, zxs_signals(self->b) & (CW | CR));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
	/* Re-enabling and disabling again does not touch it either. */
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
		self->b, ZX_SOCKET_DISPOSITION_WRITE_ENABLED,
		ZX_SOCKET_DISPOSITION_WRITE_DISABLED));
	EXPECT_EQ(CW | CR, zxs_signals(self->a) & (CW | CR));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->a, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(0, memcmp(buf, "ba", 2));
	EXPECT_EQ(CW, zxs_signals(self->a) & (CW | CR));
	EXPECT_EQ(CW, zxs_signals(self->b) & (CW | CR));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->b, ZX_SOCKET_CONTROL, "ok", 2, &n));
}

TEST_F(control, bad_buffers_lose_nothing)
{
	void *bad = zxs_unmapped_page();
	char buf[8];
	size_t n;

	ASSERT_NE(NULL, bad);
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, ZX_SOCKET_CONTROL, bad, 8, &n));
	EXPECT_EQ(self->idle, zxs_signals(self->a));
	EXPECT_EQ(self->idle, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "keep", 4, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL, bad, 8, &n));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read(self->b, ZX_SOCKET_CONTROL | ZX_SOCKET_PEEK,
				 bad, 8, &n));
	EXPECT_EQ(self->idle | CR, zxs_signals(self->b));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL, buf, 8, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, memcmp(buf, "keep", 4));
}

TEST_F(control, poll_reports_control_readable_as_pri)
{
	struct pollfd pfd = { .fd = (int)self->b, .events = POLLPRI };
	size_t n;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL, "p", 1, &n));
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLPRI, pfd.revents);
	/* CONTROL_WRITABLE has no poll bit of its own. */
	pfd.fd = (int)self->a;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
}

/* =============================================================== Magenta */

FIXTURE(magenta) {
	mx_handle_t a, b;
};

FIXTURE_VARIANT(magenta) {
	uint32_t options;
};

FIXTURE_VARIANT_ADD(magenta, stream) {
	.options = MX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(magenta, datagram) {
	.options = MX_SOCKET_DATAGRAM,
};

FIXTURE_SETUP(magenta)
{
	ASSERT_EQ(MX_OK, mx_socket_create(variant->options, &self->a, &self->b));
}

FIXTURE_TEARDOWN(magenta)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
}

/* Magenta's own half-close scenario, with its exact signal words. */
TEST_F(magenta, half_close)
{
	char buf[10] = { 0 };
	size_t n;

	ASSERT_EQ(MX_OK, mx_socket_write(self->b, 0, "12345", 5, &n));
	EXPECT_EQ(5, n);
	ASSERT_EQ(MX_OK, mx_socket_write(self->b, MX_SOCKET_HALF_CLOSE, NULL, 0,
					 NULL));
	EXPECT_EQ(MX_SOCKET_WRITABLE | MX_SOCKET_READABLE | MX_SOCKET_PEER_CLOSED,
		  zxs_signals(self->a));
	EXPECT_EQ(0, zxs_signals(self->b));
	/* A second half-close does nothing and succeeds. */
	EXPECT_EQ(MX_OK, mx_socket_write(self->b, MX_SOCKET_HALF_CLOSE, NULL, 0,
					 NULL));
	EXPECT_EQ(0, zxs_signals(self->b));
	/* The peer can still write back. */
	ASSERT_EQ(MX_OK, mx_socket_write(self->a, 0, "abcde", 5, &n));
	EXPECT_EQ(5, n);
	EXPECT_EQ(MX_SOCKET_READABLE, zxs_signals(self->b));
	EXPECT_EQ(MX_ERR_BAD_STATE, mx_socket_write(self->b, 0, "fghij", 5, &n));
	/* The peer drains, then reads PEER_CLOSED. */
	ASSERT_EQ(MX_OK, mx_socket_read(self->a, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(5, n);
	EXPECT_EQ(0, memcmp(buf, "12345", 5));
	EXPECT_EQ(MX_ERR_PEER_CLOSED, mx_socket_read(self->a, 0, buf, 1, &n));
	EXPECT_EQ(MX_SOCKET_WRITABLE | MX_SOCKET_PEER_CLOSED, zxs_signals(self->a));
	ASSERT_EQ(MX_OK, mx_socket_read(self->b, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(5, n);
	EXPECT_EQ(0, memcmp(buf, "abcde", 5));
	EXPECT_EQ(MX_ERR_SHOULD_WAIT, mx_socket_read(self->b, 0, buf, 1, &n));
	/* Closing the half-closed end is an ordinary close for the peer. */
	mx_handle_close(self->b);
	self->b = MX_HANDLE_INVALID;
	EXPECT_EQ(MX_SOCKET_PEER_CLOSED, zxs_signals(self->a));
	EXPECT_EQ(MX_ERR_PEER_CLOSED, mx_socket_write(self->a, 0, "x", 1, &n));
}

TEST_F(magenta, half_close_errors)
{
	mx_handle_t ro;
	size_t n = 77;

	EXPECT_EQ(MX_ERR_INVALID_ARGS,
		  mx_socket_write(self->a, MX_SOCKET_HALF_CLOSE, "x", 1, &n));
	EXPECT_EQ(MX_ERR_INVALID_ARGS,
		  mx_socket_write(self->a, MX_SOCKET_HALF_CLOSE, NULL, 1, &n));
	/* Magenta's write takes 0 or HALF_CLOSE, nothing else. */
	EXPECT_EQ(MX_ERR_INVALID_ARGS, mx_socket_write(self->a, 2, NULL, 0, &n));
	EXPECT_EQ(MX_ERR_INVALID_ARGS,
		  mx_socket_write(self->a, MX_SOCKET_HALF_CLOSE | 4, NULL, 0, &n));
	EXPECT_EQ(MX_ERR_BAD_HANDLE,
		  mx_socket_write(MX_HANDLE_INVALID, MX_SOCKET_HALF_CLOSE,
				  NULL, 0, &n));
	EXPECT_EQ(MX_ERR_BAD_HANDLE,
		  mx_socket_write(zxs_closed_fd(), MX_SOCKET_HALF_CLOSE,
				  NULL, 0, &n));
	ro = zxs_handle_with_rights(self->a, ALL & ~MX_RIGHT_WRITE);
	EXPECT_EQ(MX_ERR_ACCESS_DENIED,
		  mx_socket_write(ro, MX_SOCKET_HALF_CLOSE, NULL, 0, &n));
	mx_handle_close(ro);
	/* Zircon's write keeps its own options: HALF_CLOSE is not one. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(self->a, MX_SOCKET_HALF_CLOSE, NULL, 0, &n));
	EXPECT_EQ(W, zxs_signals(self->a));
	EXPECT_EQ(W, zxs_signals(self->b));
	EXPECT_EQ(77, n);
	/* With the peer gone there is nothing to half-close. */
	mx_handle_close(self->b);
	self->b = MX_HANDLE_INVALID;
	EXPECT_EQ(MX_ERR_PEER_CLOSED,
		  mx_socket_write(self->a, MX_SOCKET_HALF_CLOSE, NULL, 0, NULL));
}

TEST_F(magenta, half_close_through_read_and_write)
{
	char buf[8];
	size_t n;

	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(MX_OK, mx_socket_write(self->b, 0, "q", 1, &n));
	ASSERT_EQ(MX_OK, mx_socket_write(self->b, MX_SOCKET_HALF_CLOSE, NULL, 0,
					 NULL));
	/* write(2) on the half-closed end fails, read(2) on the peer ends. */
	errno = 0;
	EXPECT_EQ(-1, write((int)self->b, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, read((int)self->a, buf, sizeof(buf)));
	EXPECT_EQ(0, read((int)self->a, buf, sizeof(buf)));
	EXPECT_EQ(2, write((int)self->a, "ok", 2));
	EXPECT_EQ(ZX_OK, zx_socket_read(self->b, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(2, n);
}

TEST_F(magenta, half_close_wakes_the_peer)
{
	struct zxs_waiter w = {
		.handle = self->a, .signals = MX_SOCKET_PEER_CLOSED,
		.deadline = zx_deadline_after(ZXS_LONG_NS),
	};
	struct pollfd pfd = { .fd = (int)self->a, .events = POLLIN };

	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(MX_OK, mx_socket_write(self->b, MX_SOCKET_HALF_CLOSE, NULL, 0,
					 NULL));
	zxs_waiter_join(&w);
	EXPECT_EQ(MX_OK, w.status);
	EXPECT_EQ(MX_SOCKET_WRITABLE | MX_SOCKET_PEER_CLOSED, w.observed);
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN | POLLHUP, pfd.revents);
}

TEST_HARNESS_MAIN
