// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Clock helpers.  zx_time_t is CLOCK_MONOTONIC in nanoseconds because that
 * is the clock the zxsocket module measures wait deadlines against.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>

#include <zircon/syscalls.h>
#include <zircon/time.h>
#include <zircon/types.h>

#define ZXS_EXPORT __attribute__((visibility("default")))

ZXS_EXPORT zx_time_t zx_clock_get_monotonic(void)
{
	struct timespec ts;

	/* Cannot fail for CLOCK_MONOTONIC with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return zx_time_from_timespec(ts);
}

ZXS_EXPORT zx_time_t zx_clock_get(zx_clock_t clock_id)
{
	struct timespec ts;
	clockid_t id;

	switch (clock_id) {
	case ZX_CLOCK_MONOTONIC:
		id = CLOCK_MONOTONIC;
		break;
	case ZX_CLOCK_UTC:
		id = CLOCK_REALTIME;
		break;
	case ZX_CLOCK_THREAD:
		id = CLOCK_THREAD_CPUTIME_ID;
		break;
	default:
		return 0;
	}
	if (clock_gettime(id, &ts) < 0)
		return 0;
	return zx_time_from_timespec(ts);
}

ZXS_EXPORT zx_time_t zx_deadline_after(zx_duration_t nanoseconds)
{
	return zx_time_add_duration(zx_clock_get_monotonic(), nanoseconds);
}

/*
 * The deadline as an absolute timespec.  With a 32-bit time_t the far
 * future (ZX_TIME_INFINITE in particular) does not fit: clamp it, which
 * is still more than 60 years away.
 */
static struct timespec zxs_deadline_timespec(zx_time_t deadline)
{
	const int64_t sec = deadline / 1000000000;
	struct timespec ts = zx_timespec_from_time(deadline);

	if (sizeof(time_t) < sizeof(int64_t) && sec > INT32_MAX) {
		ts.tv_sec = (time_t)INT32_MAX;
		ts.tv_nsec = 0;
	}
	return ts;
}

ZXS_EXPORT zx_status_t zx_nanosleep(zx_time_t deadline)
{
	struct timespec ts;

	if (deadline <= 0) {
		sched_yield();
		return ZX_OK;
	}
	ts = zxs_deadline_timespec(deadline);
	/* Absolute, so an interrupted sleep simply resumes. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
	return ZX_OK;
}
