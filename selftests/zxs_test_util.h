/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the selftests that use libzxsocket's Zircon API
 * (socket_test, concurrency_test).
 *
 * None of them use the harness macros: they return a status or a value
 * and leave the checking to the test, so they also work in helper threads
 * and in forked children.
 */
#ifndef ZXS_TEST_UTIL_H
#define ZXS_TEST_UTIL_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include "zxs_test_common.h"

/*
 * Returned by zxs_signals() when the state could not be sampled.  Bits 3
 * and 12..22 are never asserted on a socket, so no real state equals it
 * and an EXPECT_EQ() against it fails with a recognisable value.
 */
#define ZXS_NO_SIGNALS		((zx_signals_t)0xffffffffu)

/* Every signal a socket endpoint can assert. */
#define ZXS_SOCKET_SIGNALS						\
	(ZX_SOCKET_READABLE | ZX_SOCKET_WRITABLE | ZX_SOCKET_PEER_CLOSED | \
	 ZX_SOCKET_PEER_WRITE_DISABLED | ZX_SOCKET_WRITE_DISABLED |	\
	 ZX_SOCKET_CONTROL_READABLE | ZX_SOCKET_CONTROL_WRITABLE |	\
	 ZX_SOCKET_ACCEPT | ZX_SOCKET_SHARE | ZX_SOCKET_READ_THRESHOLD |	\
	 ZX_SOCKET_WRITE_THRESHOLD | ZX_USER_SIGNAL_ALL)

/*
 * The current signals of @h, by the documented way of sampling them:
 * wait_one with no signals and a deadline of 0, which times out at once
 * and reports the state.
 */
static inline zx_signals_t zxs_signals(zx_handle_t h)
{
	zx_signals_t observed = ZXS_NO_SIGNALS;

	if (zx_object_wait_one(h, 0, 0, &observed) != ZX_ERR_TIMED_OUT)
		return ZXS_NO_SIGNALS;
	return observed;
}

static inline zx_status_t zxs_info(zx_handle_t h, zx_info_socket_t *info)
{
	size_t actual = 0, avail = 0;
	zx_status_t st;

	memset(info, 0, sizeof(*info));
	st = zx_object_get_info(h, ZX_INFO_SOCKET, info, sizeof(*info),
				&actual, &avail);
	if (st == ZX_OK && (actual != 1 || avail != 1))
		return ZX_ERR_INTERNAL;
	return st;
}

static inline zx_status_t zxs_basic(zx_handle_t h,
				    zx_info_handle_basic_t *basic)
{
	memset(basic, 0, sizeof(*basic));
	return zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, basic,
				  sizeof(*basic), NULL, NULL);
}

/* The rights of @h, or ZX_RIGHT_SAME_RIGHTS (never a real mask) on error. */
static inline zx_rights_t zxs_rights(zx_handle_t h)
{
	zx_info_handle_basic_t basic;

	if (zxs_basic(h, &basic) != ZX_OK)
		return ZX_RIGHT_SAME_RIGHTS;
	return basic.rights;
}

static inline zx_koid_t zxs_koid(zx_handle_t h)
{
	zx_info_handle_basic_t basic;

	if (zxs_basic(h, &basic) != ZX_OK)
		return ZX_KOID_INVALID;
	return basic.koid;
}

/* Capacity of the queue @h reads from (rx_buf_max), 0 on error. */
static inline size_t zxs_capacity(zx_handle_t h)
{
	zx_info_socket_t info;

	if (zxs_info(h, &info) != ZX_OK)
		return 0;
	return info.rx_buf_max;
}

/* Bytes queued for @h to read, or (size_t)-1 on error. */
static inline size_t zxs_queued(zx_handle_t h)
{
	zx_info_socket_t info;

	if (zxs_info(h, &info) != ZX_OK)
		return (size_t)-1;
	return info.rx_buf_size;
}

/*
 * A new handle to @h's endpoint with exactly @rights, made the way a
 * program would drop rights: duplicate, then replace the duplicate with
 * the reduced set.  Returns ZX_HANDLE_INVALID on failure.
 */
static inline zx_handle_t zxs_handle_with_rights(zx_handle_t h,
						 zx_rights_t rights)
{
	zx_handle_t dup = ZX_HANDLE_INVALID, out = ZX_HANDLE_INVALID;

	if (zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &dup) != ZX_OK)
		return ZX_HANDLE_INVALID;
	if (zx_handle_replace(dup, rights, &out) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return out;
}

/* Close *@h if it is open and mark it closed. */
static inline void zxs_close(zx_handle_t *h)
{
	if (*h != ZX_HANDLE_INVALID)
		zx_handle_close(*h);
	*h = ZX_HANDLE_INVALID;
}

/*
 * Fill the queue that @writer writes to (its peer's receive queue)
 * exactly to capacity.  Datagram sockets get datagrams of at most 64 KiB,
 * sized so the last one fits the remaining room exactly.  Returns the
 * bytes written in *@written (may be NULL).
 */
static inline zx_status_t zxs_fill(zx_handle_t writer, size_t *written)
{
	static uint8_t chunk[65536];
	size_t total = 0;

	for (;;) {
		zx_info_socket_t info;
		size_t room, n, actual = 0;
		zx_status_t st;

		st = zxs_info(writer, &info);
		if (st != ZX_OK)
			return st;
		room = info.tx_buf_max - info.tx_buf_size;
		if (!room)
			break;
		n = room < sizeof(chunk) ? room : sizeof(chunk);
		st = zx_socket_write(writer, 0, chunk, n, &actual);
		if (st != ZX_OK)
			return st;
		if (actual != n)
			return ZX_ERR_INTERNAL;
		total += n;
	}
	if (written)
		*written = total;
	return ZX_OK;
}

/* Read and drop everything queued for @reader. */
static inline zx_status_t zxs_drain(zx_handle_t reader)
{
	static uint8_t chunk[65536];
	zx_status_t st;
	size_t actual;

	do {
		st = zx_socket_read(reader, 0, chunk, sizeof(chunk), &actual);
	} while (st == ZX_OK);
	return st == ZX_ERR_SHOULD_WAIT ? ZX_OK : st;
}

/*
 * A thread blocked in zx_object_wait_one() or zx_object_wait_many(), for
 * the tests of wakeups.  zxs_waiter_start() returns once the thread is
 * asleep in the call (or has already returned), so whatever the test does
 * next happens to a sleeping waiter.
 */
struct zxs_waiter {
	/* in */
	zx_handle_t handle;		/* wait_one */
	zx_signals_t signals;
	zx_wait_item_t *items;		/* wait_many, if non-NULL */
	size_t count;
	zx_time_t deadline;
	/* out */
	zx_status_t status;
	zx_signals_t observed;
	int64_t returned_at;
	atomic_int state;		/* 0 new, 1 about to wait, 2 returned */
	pid_t tid;
	pthread_t thread;
};

static inline void *zxs_waiter_main(void *arg)
{
	struct zxs_waiter *w = arg;

	w->tid = zxs_gettid();
	atomic_store(&w->state, 1);
	if (w->items)
		w->status = zx_object_wait_many(w->items, w->count,
						w->deadline);
	else
		w->status = zx_object_wait_one(w->handle, w->signals,
					       w->deadline, &w->observed);
	w->returned_at = zxs_now_ns();
	atomic_store(&w->state, 2);
	return NULL;
}

static inline int zxs_waiter_start(struct zxs_waiter *w)
{
	w->status = ZX_ERR_INTERNAL;
	w->observed = ZXS_NO_SIGNALS;
	atomic_store(&w->state, 0);
	if (pthread_create(&w->thread, NULL, zxs_waiter_main, w))
		return -1;
	while (atomic_load(&w->state) == 0)
		sched_yield();
	if (atomic_load(&w->state) == 1)
		zxs_wait_thread_asleep(w->tid, ZXS_LONG_NS);
	return 0;
}

static inline bool zxs_waiter_returned(struct zxs_waiter *w)
{
	return atomic_load(&w->state) == 2;
}

static inline void zxs_waiter_join(struct zxs_waiter *w)
{
	pthread_join(w->thread, NULL);
}

#endif /* ZXS_TEST_UTIL_H */
