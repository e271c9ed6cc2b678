/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/compiler.h> for zxsocket: the subset of Fuchsia's compiler
 * helpers that socket code tends to use, with Fuchsia's names.
 *
 * Macros that commonly clash with other code (likely, unlikely, countof)
 * are only defined when nobody defined them first.
 */
#ifndef ZIRCON_COMPILER_H_
#define ZIRCON_COMPILER_H_

#if !defined(__GNUC__) && !defined(__clang__)
#error "zxsocket's zircon headers need GCC or Clang"
#endif

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#ifndef __has_cpp_attribute
#define __has_cpp_attribute(x) 0
#endif

#if !defined(__ASSEMBLER__)

/*
 * glibc's <sys/cdefs.h> defines the same two macros with the same
 * meaning; keep whichever came first.
 */
#ifndef __BEGIN_CDECLS
#ifdef __cplusplus
#define __BEGIN_CDECLS extern "C" {
#define __END_CDECLS }
#else
#define __BEGIN_CDECLS
#define __END_CDECLS
#endif
#endif

#define __NO_INLINE __attribute__((__noinline__))
#define __ALWAYS_INLINE __attribute__((__always_inline__))
#ifndef __cplusplus
#define __UNUSED __attribute__((__unused__))
#endif
#define __PACKED __attribute__((__packed__))
#define __ALIGNED(x) __attribute__((__aligned__(x)))
#define __NO_RETURN __attribute__((__noreturn__))
#define __WARN_UNUSED_RESULT __attribute__((__warn_unused_result__))
#ifndef __DEPRECATE
#define __DEPRECATE __attribute__((__deprecated__))
#endif
#define __PURE __attribute__((__pure__))
#define __CONST __attribute__((__const__))
#define __MALLOC __attribute__((__malloc__))
#define __PRINTFLIKE(fmt, va) __attribute__((__format__(__printf__, fmt, va)))
#define __SCANFLIKE(fmt, va) __attribute__((__format__(__scanf__, fmt, va)))
#define __NONNULL(n) __attribute__((__nonnull__ n))
#define __LEAF_FN __attribute__((__leaf__))
#define __WEAK __attribute__((__weak__))
#define __WEAK_ALIAS(x) __attribute__((__weak__, __alias__(x)))
#define __ALIAS(x) __attribute__((__alias__(x)))
#define __SECTION(x) __attribute__((__section__(x)))
#define __ALWAYS_EMIT __attribute__((__used__))
#define __EXPORT __attribute__((__visibility__("default")))
#define __LOCAL __attribute__((__visibility__("hidden")))

/* Multi-statement constexpr functions need C++14. */
#if defined(__cplusplus) && __cplusplus >= 201402L
#define __CONSTEXPR constexpr
#else
#define __CONSTEXPR
#endif

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define __ISCONSTANT(x) __builtin_constant_p(x)
#define __UNREACHABLE __builtin_unreachable()
#define __offsetof(type, field) __builtin_offsetof(type, field)

#if !defined(countof) && !defined(__cplusplus)
#define countof(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Return true if the operation overflowed; *result gets the wrapped value. */
#define add_overflow(a, b, result) __builtin_add_overflow(a, b, result)
#define sub_overflow(a, b, result) __builtin_sub_overflow(a, b, result)
#define mul_overflow(a, b, result) __builtin_mul_overflow(a, b, result)

#if defined(__cplusplus) && __cplusplus >= 201703L
#define __FALLTHROUGH [[fallthrough]]
#elif defined(__GNUC__) && __GNUC__ >= 7
#define __FALLTHROUGH __attribute__((__fallthrough__))
#else
#define __FALLTHROUGH do { } while (0)
#endif

/* Clang thread-safety annotations are not used here: they expand to nothing. */
#define __TA_CAPABILITY(x)
#define __TA_GUARDED(x)
#define __TA_ACQUIRE(...)
#define __TA_RELEASE(...)
#define __TA_REQUIRES(...)
#define __TA_EXCLUDES(...)
#define __TA_NO_THREAD_SAFETY_ANALYSIS

/*
 * Pin a struct's size in a header that C99, C11 and C++ all read.
 * C99 has no _Static_assert keyword, but GCC and Clang accept it there as
 * an extension; __extension__ keeps -pedantic quiet about that.
 */
#ifdef __cplusplus
#define __ZX_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define __ZX_STATIC_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#endif

#endif /* !__ASSEMBLER__ */

#endif /* ZIRCON_COMPILER_H_ */
