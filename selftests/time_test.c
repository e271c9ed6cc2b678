// SPDX-License-Identifier: GPL-2.0
/*
 * libzxsocket's clock calls: today's zx_clock_get_monotonic() and
 * zx_deadline_after(), the 2018 form zx_clock_get(clock_id), Magenta's
 * mx_time_get(), and zx_nanosleep().
 */
#include <time.h>

#include <zircon/syscalls.h>
#include <magenta/syscalls.h>

#include "zxs_test_common.h"
#include "kselftest_harness.h"

static zx_time_t linux_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (zx_time_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

TEST(clock_get_reads_the_named_linux_clock)
{
	zx_time_t before, got, after;

	before = linux_clock(CLOCK_MONOTONIC);
	got = zx_clock_get(ZX_CLOCK_MONOTONIC);
	after = linux_clock(CLOCK_MONOTONIC);
	EXPECT_GE(got, before);
	EXPECT_LE(got, after);

	before = linux_clock(CLOCK_REALTIME);
	got = zx_clock_get(ZX_CLOCK_UTC);
	after = linux_clock(CLOCK_REALTIME);
	EXPECT_GE(got, before);
	EXPECT_LE(got, after);

	before = linux_clock(CLOCK_THREAD_CPUTIME_ID);
	got = mx_time_get(MX_CLOCK_THREAD);
	after = linux_clock(CLOCK_THREAD_CPUTIME_ID);
	EXPECT_GE(got, before);
	EXPECT_LE(got, after);

	EXPECT_EQ(0, zx_clock_get(3));
	EXPECT_EQ(0, zx_clock_get(0xffffffffu));
}

TEST(monotonic_and_deadlines)
{
	zx_time_t a = zx_clock_get_monotonic();
	zx_time_t b = mx_time_get(MX_CLOCK_MONOTONIC);
	zx_time_t d = zx_deadline_after(ZX_MSEC(5));

	EXPECT_GE(b, a);
	EXPECT_GT(d, b);
	EXPECT_EQ(ZX_TIME_INFINITE, zx_deadline_after(ZX_TIME_INFINITE));
	EXPECT_EQ(ZX_OK, zx_nanosleep(d));
	EXPECT_GE(zx_clock_get_monotonic(), d);
	EXPECT_EQ(ZX_OK, zx_nanosleep(0));
	EXPECT_EQ(ZX_OK, zx_nanosleep(ZX_TIME_INFINITE_PAST));
}

TEST_HARNESS_MAIN
