/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/time.h> for zxsocket: Fuchsia's time types and its saturating
 * time arithmetic.  Times are CLOCK_MONOTONIC nanoseconds, the clock that
 * the zxsocket module measures wait deadlines against.
 */
#ifndef ZIRCON_TIME_H_
#define ZIRCON_TIME_H_

#include <stdint.h>
#include <time.h>
#include <zircon/compiler.h>

__BEGIN_CDECLS

/* An absolute time in nanoseconds on the monotonic clock. */
typedef int64_t zx_time_t;
/* A duration in nanoseconds. */
typedef int64_t zx_duration_t;
/* A duration in hardware ticks. */
typedef int64_t zx_ticks_t;

#define ZX_TIME_INFINITE	INT64_MAX
#define ZX_TIME_INFINITE_PAST	INT64_MIN

/*
 * Overflow-safe arithmetic: results clamp to ZX_TIME_INFINITE on overflow
 * and to ZX_TIME_INFINITE_PAST on underflow, so "now + a long timeout"
 * means "never" instead of wrapping into the past.
 *
 * A wrapped sum is non-negative exactly when the true sum was negative.
 */
static __CONSTEXPR inline int64_t __zx_time_clamp(int64_t wrapped)
{
	return wrapped >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
}

static __CONSTEXPR inline zx_time_t zx_time_add_duration(zx_time_t t,
							 zx_duration_t d)
{
	zx_time_t x = 0;

	return add_overflow(t, d, &x) ? __zx_time_clamp(x) : x;
}

static __CONSTEXPR inline zx_time_t zx_time_sub_duration(zx_time_t t,
							 zx_duration_t d)
{
	zx_time_t x = 0;

	return sub_overflow(t, d, &x) ? __zx_time_clamp(x) : x;
}

static __CONSTEXPR inline zx_duration_t zx_time_sub_time(zx_time_t t1,
							 zx_time_t t2)
{
	zx_duration_t x = 0;

	return sub_overflow(t1, t2, &x) ? __zx_time_clamp(x) : x;
}

static __CONSTEXPR inline zx_duration_t
zx_duration_add_duration(zx_duration_t d1, zx_duration_t d2)
{
	zx_duration_t x = 0;

	return add_overflow(d1, d2, &x) ? __zx_time_clamp(x) : x;
}

static __CONSTEXPR inline zx_duration_t
zx_duration_sub_duration(zx_duration_t d1, zx_duration_t d2)
{
	zx_duration_t x = 0;

	return sub_overflow(d1, d2, &x) ? __zx_time_clamp(x) : x;
}

static __CONSTEXPR inline zx_duration_t
zx_duration_mul_int64(zx_duration_t d, int64_t multiplier)
{
	zx_duration_t x = 0;

	if (!mul_overflow(d, multiplier, &x))
		return x;
	return (d > 0) == (multiplier > 0) ? ZX_TIME_INFINITE
					   : ZX_TIME_INFINITE_PAST;
}

static __CONSTEXPR inline int64_t zx_nsec_from_duration(zx_duration_t n)
{
	return n;
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_nsec(int64_t n)
{
	return n;
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_usec(int64_t n)
{
	return zx_duration_mul_int64(1000, n);
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_msec(int64_t n)
{
	return zx_duration_mul_int64(1000000, n);
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_sec(int64_t n)
{
	return zx_duration_mul_int64(1000000000, n);
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_min(int64_t n)
{
	return zx_duration_mul_int64(60LL * 1000000000, n);
}

static __CONSTEXPR inline zx_duration_t zx_duration_from_hour(int64_t n)
{
	return zx_duration_mul_int64(3600LL * 1000000000, n);
}

/*
 * struct timespec exists in C11, C++ and POSIX, but not in strict C99:
 * offer the conversions only where the type does.  (<time.h> has pulled in
 * the libc's feature macros by now.)
 */
#if defined(__cplusplus) || \
	(defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) || \
	defined(_POSIX_C_SOURCE) || defined(_POSIX_SOURCE) || \
	defined(_XOPEN_SOURCE)

static __CONSTEXPR inline zx_duration_t
zx_duration_from_timespec(struct timespec ts)
{
	return zx_duration_add_duration(zx_duration_from_sec(ts.tv_sec),
					zx_duration_from_nsec(ts.tv_nsec));
}

static inline struct timespec zx_timespec_from_duration(zx_duration_t d)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(d / 1000000000);
	ts.tv_nsec = (long)(d % 1000000000);
	return ts;
}

static __CONSTEXPR inline zx_time_t zx_time_from_timespec(struct timespec ts)
{
	return zx_duration_from_timespec(ts);
}

static inline struct timespec zx_timespec_from_time(zx_time_t t)
{
	return zx_timespec_from_duration(t);
}

#endif /* struct timespec */

/*
 * Unit macros.  A constant argument folds to a constant expression (usable
 * in static initialisers); anything else goes through the saturating
 * helpers above.
 */
#define ZX_NSEC(n)	(__ISCONSTANT(n) ? ((zx_duration_t)(1LL * (n))) : \
			 zx_duration_from_nsec(n))
#define ZX_USEC(n)	(__ISCONSTANT(n) ? ((zx_duration_t)(1000LL * (n))) : \
			 zx_duration_from_usec(n))
#define ZX_MSEC(n)	(__ISCONSTANT(n) ? ((zx_duration_t)(1000000LL * (n))) : \
			 zx_duration_from_msec(n))
#define ZX_SEC(n)	(__ISCONSTANT(n) ? \
			 ((zx_duration_t)(1000000000LL * (n))) : \
			 zx_duration_from_sec(n))
#define ZX_MIN(n)	(__ISCONSTANT(n) ? \
			 ((zx_duration_t)(60LL * 1000000000LL * (n))) : \
			 zx_duration_from_min(n))
#define ZX_HOUR(n)	(__ISCONSTANT(n) ? \
			 ((zx_duration_t)(3600LL * 1000000000LL * (n))) : \
			 zx_duration_from_hour(n))

__END_CDECLS

#endif /* ZIRCON_TIME_H_ */
