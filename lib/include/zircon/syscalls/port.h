/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/syscalls/port.h> for zxsocket: port packets and the options of
 * zx_port_create() and zx_object_wait_async(), with Fuchsia's names, values
 * and layout (zx_port_packet_t is 48 bytes).
 *
 * zxsocket queues two kinds of packet: ZX_PKT_TYPE_USER (zx_port_queue) and
 * ZX_PKT_TYPE_SIGNAL_ONE (zx_object_wait_async).  The other packet types come
 * from objects Linux has no equivalent for; they are declared so that code
 * naming them compiles, and never arrive.
 */
#ifndef ZIRCON_SYSCALLS_PORT_H_
#define ZIRCON_SYSCALLS_PORT_H_

#include <stdbool.h>
#include <stdint.h>
#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

/* zx_object_wait_async() options. */
#define ZX_WAIT_ASYNC_ONCE		((uint32_t)0u)
#define ZX_WAIT_ASYNC_TIMESTAMP		((uint32_t)1u)
#define ZX_WAIT_ASYNC_EDGE		((uint32_t)2u)
#define ZX_WAIT_ASYNC_BOOT_TIMESTAMP	((uint32_t)4u)

/* zx_port_packet_t.type */
#define ZX_PKT_TYPE_USER		((uint8_t)0x00u)
#define ZX_PKT_TYPE_SIGNAL_ONE		((uint8_t)0x01u)
#define ZX_PKT_TYPE_GUEST_BELL		((uint8_t)0x03u)
#define ZX_PKT_TYPE_GUEST_MEM		((uint8_t)0x04u)
#define ZX_PKT_TYPE_GUEST_IO		((uint8_t)0x05u)
#define ZX_PKT_TYPE_GUEST_VCPU		((uint8_t)0x06u)
#define ZX_PKT_TYPE_INTERRUPT		((uint8_t)0x07u)
#define ZX_PKT_TYPE_PAGE_REQUEST	((uint8_t)0x09u)

/* zx_port_create() options; zxsocket accepts it and binds nothing. */
#define ZX_PORT_BIND_TO_INTERRUPT	((uint32_t)(0x1u << 0))

#define ZX_PKT_TYPE_MASK		((uint32_t)0x000000FFu)

#define ZX_PKT_IS_USER(type)		((type) == ZX_PKT_TYPE_USER)
#define ZX_PKT_IS_SIGNAL_ONE(type)	((type) == ZX_PKT_TYPE_SIGNAL_ONE)
#define ZX_PKT_IS_GUEST_BELL(type)	((type) == ZX_PKT_TYPE_GUEST_BELL)
#define ZX_PKT_IS_GUEST_MEM(type)	((type) == ZX_PKT_TYPE_GUEST_MEM)
#define ZX_PKT_IS_GUEST_IO(type)	((type) == ZX_PKT_TYPE_GUEST_IO)
#define ZX_PKT_IS_GUEST_VCPU(type)	((type) == ZX_PKT_TYPE_GUEST_VCPU)
#define ZX_PKT_IS_INTERRUPT(type)	((type) == ZX_PKT_TYPE_INTERRUPT)
#define ZX_PKT_IS_PAGE_REQUEST(type)	((type) == ZX_PKT_TYPE_PAGE_REQUEST)

#define ZX_PKT_GUEST_VCPU_INTERRUPT	((uint8_t)0)
#define ZX_PKT_GUEST_VCPU_STARTUP	((uint8_t)1)

#define ZX_PAGER_VMO_READ		((uint16_t)0)
#define ZX_PAGER_VMO_COMPLETE		((uint16_t)1)

typedef uint64_t zx_gpaddr_t;

/* ZX_PKT_TYPE_USER: 32 bytes that are the user's. */
typedef union zx_packet_user {
	uint64_t u64[4];
	uint32_t u32[8];
	uint16_t u16[16];
	uint8_t c8[32];
} zx_packet_user_t;

/* ZX_PKT_TYPE_SIGNAL_ONE. */
typedef struct zx_packet_signal {
	zx_signals_t trigger;	/* the signals waited for */
	zx_signals_t observed;	/* every signal asserted when it fired */
	uint64_t count;		/* always 1 */
	uint64_t timestamp;	/* with ZX_WAIT_ASYNC_*TIMESTAMP, else 0 */
	uint64_t reserved1;
} zx_packet_signal_t;

typedef struct zx_packet_guest_bell {
	zx_gpaddr_t addr;
	uint64_t reserved0;
	uint64_t reserved1;
	uint64_t reserved2;
} zx_packet_guest_bell_t;

typedef struct zx_packet_guest_mem {
	zx_gpaddr_t addr;
#if defined(__aarch64__)
	uint8_t access_size;
	bool sign_extend;
	uint8_t xt;
	bool read;
	uint8_t padding1[4];
	uint64_t data;
	uint64_t reserved;
#else
#define X86_MAX_INST_LEN 15u
	uint8_t inst_len;
	uint8_t inst_buf[X86_MAX_INST_LEN];
	uint8_t default_operand_size;
	uint8_t reserved[7];
#endif
} zx_packet_guest_mem_t;

typedef struct zx_packet_guest_io {
	uint16_t port;
	uint8_t access_size;
	bool input;
	union {
		struct {
			uint8_t u8;
			uint8_t padding1[3];
		};
		struct {
			uint16_t u16;
			uint8_t padding2[2];
		};
		uint32_t u32;
		uint8_t data[4];
	};
	uint64_t reserved0;
	uint64_t reserved1;
	uint64_t reserved2;
} zx_packet_guest_io_t;

typedef struct zx_packet_guest_vcpu {
	union {
		struct {
			uint64_t mask;
			uint8_t vector;
			uint8_t padding1[7];
		} interrupt;
		struct {
			uint64_t id;
			zx_gpaddr_t entry;
		} startup;
	};
	uint8_t type;
	uint8_t padding1[7];
	uint64_t reserved;
} zx_packet_guest_vcpu_t;

typedef struct zx_packet_interrupt {
	zx_time_t timestamp;
	uint64_t reserved0;
	uint64_t reserved1;
	uint64_t reserved2;
} zx_packet_interrupt_t;

typedef struct zx_packet_page_request {
	uint16_t command;
	uint16_t flags;
	uint32_t reserved0;
	uint64_t offset;
	uint64_t length;
	uint64_t reserved1;
} zx_packet_page_request_t;

typedef struct zx_port_packet {
	uint64_t key;
	uint32_t type;
	zx_status_t status;
	union {
		zx_packet_user_t user;
		zx_packet_signal_t signal;
		zx_packet_guest_bell_t guest_bell;
		zx_packet_guest_mem_t guest_mem;
		zx_packet_guest_io_t guest_io;
		zx_packet_guest_vcpu_t guest_vcpu;
		zx_packet_interrupt_t interrupt;
		zx_packet_page_request_t page_request;
	};
} zx_port_packet_t;

__END_CDECLS

#endif /* ZIRCON_SYSCALLS_PORT_H_ */
