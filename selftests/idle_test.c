// SPDX-License-Identifier: GPL-2.0
/*
 * idle_test: the queue's page cache and its idle trim.
 *
 * A drained queue keeps some pages for the next write and gives them all
 * back about one to two seconds after it was last written to.  These
 * tests drive a queue across that edge in every state it can be in when
 * the trim runs (empty with a rewound page, empty with spares, holding
 * data, being written to, being closed) and check that every byte still
 * arrives intact.  The debug kernel checks the rest (KASAN, lockdep,
 * kmemleak).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_test_util.h"

/* Longer than two trim periods (one second each). */
#define IDLE_US		2600000

static unsigned char pattern(uint64_t off)
{
	return (unsigned char)(off * 13 + (off >> 12) + 5);
}

static void fill(unsigned char *b, size_t n, uint64_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pattern(off + i);
}

static int check(const unsigned char *b, size_t n, uint64_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != pattern(off + i))
			return -1;
	return 0;
}

/* Write @n bytes at stream offset @off from a, read them back on b. */
static int round_trip(zx_handle_t a, zx_handle_t b, size_t n, uint64_t off)
{
	static unsigned char wb[256 * 1024], rb[256 * 1024];
	size_t actual = 0, got = 0, step;

	fill(wb, n, off);
	if (zx_socket_write(a, 0, wb, n, &actual) != ZX_OK || actual != n)
		return -1;
	while (got < n) {
		if (zx_socket_read(b, 0, rb + got, n - got, &step) != ZX_OK)
			return -1;
		got += step;
	}
	return check(rb, n, off);
}

TEST(stream_survives_trim_of_rewound_page_and_spares)
{
	zx_handle_t a, b;
	uint64_t off = 0;
	int i;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	for (i = 0; i < 3; i++) {
		/* 64 KiB leaves spares; 100 bytes leaves a rewound page. */
		ASSERT_EQ(0, round_trip(a, b, 64 * 1024, off));
		off += 64 * 1024;
		ASSERT_EQ(0, round_trip(a, b, 100, off));
		off += 100;
		usleep(IDLE_US);
	}
	/* After a trim the queue takes pages again. */
	ASSERT_EQ(0, round_trip(a, b, 200 * 1024, off));
	ASSERT_EQ(ZX_OK, zx_handle_close(a));
	ASSERT_EQ(ZX_OK, zx_handle_close(b));
}

TEST(data_left_queued_across_a_trim_is_intact)
{
	unsigned char wb[10000], rb[10000];
	size_t actual;
	zx_handle_t a, b;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	/* Leave spares behind, then park data in the queue while idle. */
	ASSERT_EQ(0, round_trip(a, b, 128 * 1024, 0));
	fill(wb, sizeof(wb), 7);
	ASSERT_EQ(ZX_OK, zx_socket_write(a, 0, wb, sizeof(wb), &actual));
	ASSERT_EQ(sizeof(wb), actual);
	usleep(IDLE_US);
	ASSERT_EQ(ZX_OK, zx_socket_read(b, 0, rb, sizeof(rb), &actual));
	ASSERT_EQ(sizeof(rb), actual);
	ASSERT_EQ(0, check(rb, sizeof(rb), 7));
	ASSERT_EQ(ZX_OK, zx_handle_close(a));
	ASSERT_EQ(ZX_OK, zx_handle_close(b));
}

TEST(datagrams_survive_a_trim)
{
	unsigned char wb[3000], rb[3000];
	size_t actual;
	zx_handle_t a, b;
	int i, round;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM, &a, &b));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 40; i++) {
			fill(wb, sizeof(wb), i);
			ASSERT_EQ(ZX_OK, zx_socket_write(a, 0, wb, sizeof(wb), &actual));
		}
		for (i = 0; i < 40; i++) {
			ASSERT_EQ(ZX_OK, zx_socket_read(b, 0, rb, sizeof(rb), &actual));
			ASSERT_EQ(sizeof(rb), actual);
			ASSERT_EQ(0, check(rb, sizeof(rb), i));
		}
		usleep(IDLE_US);
	}
	ASSERT_EQ(ZX_OK, zx_handle_close(a));
	ASSERT_EQ(ZX_OK, zx_handle_close(b));
}

/* Close pairs while their trim is pending, in both orders. */
TEST(close_with_trim_pending)
{
	zx_handle_t a[64], b[64];
	int i;

	for (i = 0; i < 64; i++) {
		ASSERT_EQ(ZX_OK, zx_socket_create(0, &a[i], &b[i]));
		ASSERT_EQ(0, round_trip(a[i], b[i], 20000, i));
		ASSERT_EQ(0, round_trip(b[i], a[i], 5000, i));
	}
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(ZX_OK, zx_handle_close(i % 2 ? a[i] : b[i]));
		if (i % 4 == 0)
			usleep(30000);
	}
	/* Let some trims run with one end dead, then close the rest. */
	usleep(1200000);
	for (i = 0; i < 64; i++)
		ASSERT_EQ(ZX_OK, zx_handle_close(i % 2 ? b[i] : a[i]));
}

struct streamer {
	zx_handle_t h;
	uint64_t total;
	int bad;
};

/* Writes bursts with pauses around the trim period. */
static void *burst_writer(void *arg)
{
	static const useconds_t pause_us[] = { 0, 1100000, 300000, 2100000, 50000 };
	struct streamer *s = arg;
	unsigned char buf[16384];
	uint64_t off = 0;
	size_t actual;
	zx_signals_t seen;
	int burst, k;

	for (burst = 0; burst < 5; burst++) {
		for (k = 0; k < 40; k++) {
			size_t n = sizeof(buf) - k * 97;

			fill(buf, n, off);
			for (;;) {
				zx_status_t st = zx_socket_write(s->h, 0, buf, n, &actual);

				if (st == ZX_OK)
					break;
				if (st != ZX_ERR_SHOULD_WAIT ||
				    zx_object_wait_one(s->h, ZX_SOCKET_WRITABLE,
						       ZX_TIME_INFINITE, &seen) != ZX_OK) {
					s->bad = 1;
					return NULL;
				}
			}
			/* Stream writes may be short: resend the rest. */
			off += actual;
			if (actual < n)
				k--;
		}
		usleep(pause_us[burst]);
	}
	s->total = off;
	zx_handle_close(s->h);
	return NULL;
}

TEST(trim_races_with_bursty_traffic)
{
	struct streamer s = {};
	unsigned char buf[7000];
	uint64_t off = 0;
	zx_handle_t b;
	zx_signals_t seen;
	size_t actual;
	pthread_t t;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &s.h, &b));
	ASSERT_EQ(0, pthread_create(&t, NULL, burst_writer, &s));
	for (;;) {
		zx_status_t st = zx_socket_read(b, 0, buf, sizeof(buf), &actual);

		if (st == ZX_OK) {
			ASSERT_EQ(0, check(buf, actual, off));
			off += actual;
			continue;
		}
		if (st == ZX_ERR_PEER_CLOSED)
			break;
		ASSERT_EQ(ZX_ERR_SHOULD_WAIT, st);
		ASSERT_EQ(ZX_OK, zx_object_wait_one(b, ZX_SOCKET_READABLE |
						    ZX_SOCKET_PEER_CLOSED,
						    ZX_TIME_INFINITE, &seen));
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, s.bad);
	ASSERT_EQ(s.total, off);
	ASSERT_LT(0, off);
	ASSERT_EQ(ZX_OK, zx_handle_close(b));
}

TEST_HARNESS_MAIN
