/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/types.h> for zxsocket: Fuchsia's basic types, signals and
 * socket options, with Fuchsia's names and values.
 *
 * On Linux a zx_handle_t is a file descriptor number; the library never
 * hands out 0, which stays ZX_HANDLE_INVALID.
 */
#ifndef ZIRCON_TYPES_H_
#define ZIRCON_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/compiler.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/time.h>

__BEGIN_CDECLS

typedef uint32_t zx_handle_t;
#define ZX_HANDLE_INVALID		((zx_handle_t)0)

/* ZX_OK or a negative ZX_ERR_* from <zircon/errors.h>. */
typedef int32_t zx_status_t;

typedef uint32_t zx_clock_t;
#define ZX_CLOCK_MONOTONIC		((zx_clock_t)0)
#define ZX_CLOCK_UTC			((zx_clock_t)1)
#define ZX_CLOCK_THREAD			((zx_clock_t)2)

typedef uint32_t zx_signals_t;

#define ZX_SIGNAL_NONE			((zx_signals_t)0u)
#define ZX_USER_SIGNAL_ALL		((zx_signals_t)0xff000000u)

/* Generic signal bits; each object type gives some of them a meaning. */
#define __ZX_OBJECT_SIGNAL_ALL		((zx_signals_t)0x00ffffffu)
#define __ZX_OBJECT_READABLE		((zx_signals_t)1u << 0)
#define __ZX_OBJECT_WRITABLE		((zx_signals_t)1u << 1)
#define __ZX_OBJECT_PEER_CLOSED		((zx_signals_t)1u << 2)
#define __ZX_OBJECT_SIGNALED		((zx_signals_t)1u << 3)
#define __ZX_OBJECT_SIGNAL_4		((zx_signals_t)1u << 4)
#define __ZX_OBJECT_SIGNAL_5		((zx_signals_t)1u << 5)
#define __ZX_OBJECT_SIGNAL_6		((zx_signals_t)1u << 6)
#define __ZX_OBJECT_SIGNAL_7		((zx_signals_t)1u << 7)
#define __ZX_OBJECT_SIGNAL_8		((zx_signals_t)1u << 8)
#define __ZX_OBJECT_SIGNAL_9		((zx_signals_t)1u << 9)
#define __ZX_OBJECT_SIGNAL_10		((zx_signals_t)1u << 10)
#define __ZX_OBJECT_SIGNAL_11		((zx_signals_t)1u << 11)
#define __ZX_OBJECT_SIGNAL_12		((zx_signals_t)1u << 12)
#define __ZX_OBJECT_SIGNAL_13		((zx_signals_t)1u << 13)
#define __ZX_OBJECT_SIGNAL_14		((zx_signals_t)1u << 14)
#define __ZX_OBJECT_SIGNAL_15		((zx_signals_t)1u << 15)
#define __ZX_OBJECT_SIGNAL_16		((zx_signals_t)1u << 16)
#define __ZX_OBJECT_SIGNAL_17		((zx_signals_t)1u << 17)
#define __ZX_OBJECT_SIGNAL_18		((zx_signals_t)1u << 18)
#define __ZX_OBJECT_SIGNAL_19		((zx_signals_t)1u << 19)
#define __ZX_OBJECT_SIGNAL_20		((zx_signals_t)1u << 20)
#define __ZX_OBJECT_SIGNAL_21		((zx_signals_t)1u << 21)
#define __ZX_OBJECT_SIGNAL_22		((zx_signals_t)1u << 22)
#define __ZX_OBJECT_HANDLE_CLOSED	((zx_signals_t)1u << 23)

/* User signals, for zx_object_signal() and zx_object_signal_peer(). */
#define ZX_USER_SIGNAL_0		((zx_signals_t)1u << 24)
#define ZX_USER_SIGNAL_1		((zx_signals_t)1u << 25)
#define ZX_USER_SIGNAL_2		((zx_signals_t)1u << 26)
#define ZX_USER_SIGNAL_3		((zx_signals_t)1u << 27)
#define ZX_USER_SIGNAL_4		((zx_signals_t)1u << 28)
#define ZX_USER_SIGNAL_5		((zx_signals_t)1u << 29)
#define ZX_USER_SIGNAL_6		((zx_signals_t)1u << 30)
#define ZX_USER_SIGNAL_7		((zx_signals_t)1u << 31)

/* A handle being waited on was closed. */
#define ZX_SIGNAL_HANDLE_CLOSED		__ZX_OBJECT_HANDLE_CLOSED

/* Socket signals. */
#define ZX_SOCKET_READABLE		__ZX_OBJECT_READABLE
#define ZX_SOCKET_WRITABLE		__ZX_OBJECT_WRITABLE
#define ZX_SOCKET_PEER_CLOSED		__ZX_OBJECT_PEER_CLOSED
#define ZX_SOCKET_PEER_WRITE_DISABLED	__ZX_OBJECT_SIGNAL_4
#define ZX_SOCKET_WRITE_DISABLED	__ZX_OBJECT_SIGNAL_5
#define ZX_SOCKET_CONTROL_READABLE	__ZX_OBJECT_SIGNAL_6
#define ZX_SOCKET_CONTROL_WRITABLE	__ZX_OBJECT_SIGNAL_7
#define ZX_SOCKET_ACCEPT		__ZX_OBJECT_SIGNAL_8
#define ZX_SOCKET_SHARE			__ZX_OBJECT_SIGNAL_9
#define ZX_SOCKET_READ_THRESHOLD	__ZX_OBJECT_SIGNAL_10
#define ZX_SOCKET_WRITE_THRESHOLD	__ZX_OBJECT_SIGNAL_11
/* The older name of PEER_WRITE_DISABLED: "my reads will drain and stop". */
#define ZX_SOCKET_READ_DISABLED		ZX_SOCKET_PEER_WRITE_DISABLED

/* koids: unique, never reused object ids. */
typedef uint64_t zx_koid_t;
#define ZX_KOID_INVALID			((uint64_t)0)
#define ZX_KOID_KERNEL			((uint64_t)1)
#define ZX_KOID_FIRST			((uint64_t)1024)

/* zx_object_wait_many() takes at most this many items. */
#define ZX_WAIT_MANY_MAX_ITEMS		((size_t)64)

typedef struct zx_wait_item {
	zx_handle_t handle;
	zx_signals_t waitfor;
	zx_signals_t pending;
} zx_wait_item_t;

__ZX_STATIC_ASSERT(sizeof(zx_wait_item_t) == 12,
		   "zx_wait_item_t must be 12 bytes");

/* Options for zx_socket_create(). */
#define ZX_SOCKET_STREAM		((uint32_t)0u)
#define ZX_SOCKET_DATAGRAM		((uint32_t)1u << 0)
#define ZX_SOCKET_HAS_CONTROL		((uint32_t)1u << 1)
#define ZX_SOCKET_HAS_ACCEPT		((uint32_t)1u << 2)
#define ZX_SOCKET_CREATE_MASK		(ZX_SOCKET_DATAGRAM | \
					 ZX_SOCKET_HAS_CONTROL | \
					 ZX_SOCKET_HAS_ACCEPT)

/* Options for zx_socket_read() and zx_socket_write(). */
#define ZX_SOCKET_CONTROL		((uint32_t)1u << 2)
#define ZX_SOCKET_PEEK			((uint32_t)1u << 3)

/* Options for zx_socket_shutdown(). */
#define ZX_SOCKET_SHUTDOWN_WRITE	((uint32_t)1u << 0)
#define ZX_SOCKET_SHUTDOWN_READ		((uint32_t)1u << 1)
#define ZX_SOCKET_SHUTDOWN_MASK		(ZX_SOCKET_SHUTDOWN_WRITE | \
					 ZX_SOCKET_SHUTDOWN_READ)

/* Values for zx_socket_set_disposition(). */
#define ZX_SOCKET_DISPOSITION_WRITE_DISABLED	((uint32_t)1u << 0)
#define ZX_SOCKET_DISPOSITION_WRITE_ENABLED	((uint32_t)1u << 1)

/* Object types, as in zx_info_handle_basic_t.type. */
typedef uint32_t zx_obj_type_t;

#define ZX_OBJ_TYPE_NONE		((zx_obj_type_t)0u)
#define ZX_OBJ_TYPE_PROCESS		((zx_obj_type_t)1u)
#define ZX_OBJ_TYPE_THREAD		((zx_obj_type_t)2u)
#define ZX_OBJ_TYPE_VMO			((zx_obj_type_t)3u)
#define ZX_OBJ_TYPE_CHANNEL		((zx_obj_type_t)4u)
#define ZX_OBJ_TYPE_EVENT		((zx_obj_type_t)5u)
#define ZX_OBJ_TYPE_PORT		((zx_obj_type_t)6u)
#define ZX_OBJ_TYPE_INTERRUPT		((zx_obj_type_t)9u)
#define ZX_OBJ_TYPE_PCI_DEVICE		((zx_obj_type_t)11u)
#define ZX_OBJ_TYPE_DEBUGLOG		((zx_obj_type_t)12u)
#define ZX_OBJ_TYPE_SOCKET		((zx_obj_type_t)14u)
#define ZX_OBJ_TYPE_RESOURCE		((zx_obj_type_t)15u)
#define ZX_OBJ_TYPE_EVENTPAIR		((zx_obj_type_t)16u)
#define ZX_OBJ_TYPE_JOB			((zx_obj_type_t)17u)
#define ZX_OBJ_TYPE_VMAR		((zx_obj_type_t)18u)
#define ZX_OBJ_TYPE_FIFO		((zx_obj_type_t)19u)
#define ZX_OBJ_TYPE_GUEST		((zx_obj_type_t)20u)
#define ZX_OBJ_TYPE_VCPU		((zx_obj_type_t)21u)
#define ZX_OBJ_TYPE_TIMER		((zx_obj_type_t)22u)
#define ZX_OBJ_TYPE_IOMMU		((zx_obj_type_t)23u)
#define ZX_OBJ_TYPE_BTI			((zx_obj_type_t)24u)
#define ZX_OBJ_TYPE_PROFILE		((zx_obj_type_t)25u)
#define ZX_OBJ_TYPE_PMT			((zx_obj_type_t)26u)
#define ZX_OBJ_TYPE_SUSPEND_TOKEN	((zx_obj_type_t)27u)
#define ZX_OBJ_TYPE_PAGER		((zx_obj_type_t)28u)
#define ZX_OBJ_TYPE_EXCEPTION		((zx_obj_type_t)29u)
#define ZX_OBJ_TYPE_CLOCK		((zx_obj_type_t)30u)
#define ZX_OBJ_TYPE_STREAM		((zx_obj_type_t)31u)
#define ZX_OBJ_TYPE_MSI			((zx_obj_type_t)32u)
#define ZX_OBJ_TYPE_IOB			((zx_obj_type_t)33u)
#define ZX_OBJ_TYPE_LOG			ZX_OBJ_TYPE_DEBUGLOG
#define ZX_OBJ_TYPE_UPPER_BOUND		((zx_obj_type_t)64u)

/* Other scalar types that Fuchsia code commonly names. */
typedef uintptr_t zx_vaddr_t;
typedef uintptr_t zx_paddr_t;
typedef uint64_t zx_off_t;
typedef uint32_t zx_txid_t;

#define ZX_MAX_NAME_LEN			((size_t)32u)

__END_CDECLS

#endif /* ZIRCON_TYPES_H_ */
