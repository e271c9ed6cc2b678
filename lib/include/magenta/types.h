/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <magenta/types.h>: Magenta's (2017) names for the socket API's types and
 * constants.  Magenta's numbering of every socket constant equals today's
 * Zircon numbering, so each MX_ name is its ZX_ twin; this header and the
 * Zircon headers can be included in the same translation unit.
 */
#ifndef MAGENTA_TYPES_H_
#define MAGENTA_TYPES_H_

#include <zircon/types.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

typedef zx_status_t mx_status_t;
typedef zx_handle_t mx_handle_t;
typedef zx_signals_t mx_signals_t;
typedef zx_rights_t mx_rights_t;
typedef zx_koid_t mx_koid_t;
typedef zx_time_t mx_time_t;
typedef zx_duration_t mx_duration_t;
typedef zx_wait_item_t mx_wait_item_t;
typedef zx_info_handle_basic_t mx_info_handle_basic_t;
typedef zx_info_socket_t mx_info_socket_t;
typedef zx_object_info_topic_t mx_object_info_topic_t;

/* Magenta's half-close write option (it has no Zircon twin). */
#define MX_SOCKET_HALF_CLOSE                     ((uint32_t)1u)

#define MX_ERR_ACCESS_DENIED                     ZX_ERR_ACCESS_DENIED
#define MX_ERR_ADDRESS_IN_USE                    ZX_ERR_ADDRESS_IN_USE
#define MX_ERR_ADDRESS_UNREACHABLE               ZX_ERR_ADDRESS_UNREACHABLE
#define MX_ERR_ALREADY_BOUND                     ZX_ERR_ALREADY_BOUND
#define MX_ERR_ALREADY_EXISTS                    ZX_ERR_ALREADY_EXISTS
#define MX_ERR_ASYNC                             ZX_ERR_ASYNC
#define MX_ERR_BAD_HANDLE                        ZX_ERR_BAD_HANDLE
#define MX_ERR_BAD_PATH                          ZX_ERR_BAD_PATH
#define MX_ERR_BAD_STATE                         ZX_ERR_BAD_STATE
#define MX_ERR_BAD_SYSCALL                       ZX_ERR_BAD_SYSCALL
#define MX_ERR_BUFFER_TOO_SMALL                  ZX_ERR_BUFFER_TOO_SMALL
#define MX_ERR_CANCELED                          ZX_ERR_CANCELED
#define MX_ERR_CONNECTION_ABORTED                ZX_ERR_CONNECTION_ABORTED
#define MX_ERR_CONNECTION_REFUSED                ZX_ERR_CONNECTION_REFUSED
#define MX_ERR_CONNECTION_RESET                  ZX_ERR_CONNECTION_RESET
#define MX_ERR_FILE_BIG                          ZX_ERR_FILE_BIG
#define MX_ERR_INTERNAL                          ZX_ERR_INTERNAL
#define MX_ERR_INTERNAL_INTR_KILLED              ZX_ERR_INTERNAL_INTR_KILLED
#define MX_ERR_INTERNAL_INTR_RETRY               ZX_ERR_INTERNAL_INTR_RETRY
#define MX_ERR_INVALID_ARGS                      ZX_ERR_INVALID_ARGS
#define MX_ERR_IO                                ZX_ERR_IO
#define MX_ERR_IO_DATA_INTEGRITY                 ZX_ERR_IO_DATA_INTEGRITY
#define MX_ERR_IO_DATA_LOSS                      ZX_ERR_IO_DATA_LOSS
#define MX_ERR_IO_INVALID                        ZX_ERR_IO_INVALID
#define MX_ERR_IO_MISSED_DEADLINE                ZX_ERR_IO_MISSED_DEADLINE
#define MX_ERR_IO_NOT_PRESENT                    ZX_ERR_IO_NOT_PRESENT
#define MX_ERR_IO_OVERRUN                        ZX_ERR_IO_OVERRUN
#define MX_ERR_IO_REFUSED                        ZX_ERR_IO_REFUSED
#define MX_ERR_NEXT                              ZX_ERR_NEXT
#define MX_ERR_NOT_CONNECTED                     ZX_ERR_NOT_CONNECTED
#define MX_ERR_NOT_DIR                           ZX_ERR_NOT_DIR
#define MX_ERR_NOT_EMPTY                         ZX_ERR_NOT_EMPTY
#define MX_ERR_NOT_FILE                          ZX_ERR_NOT_FILE
#define MX_ERR_NOT_FOUND                         ZX_ERR_NOT_FOUND
#define MX_ERR_NOT_SUPPORTED                     ZX_ERR_NOT_SUPPORTED
#define MX_ERR_NO_MEMORY                         ZX_ERR_NO_MEMORY
#define MX_ERR_NO_RESOURCES                      ZX_ERR_NO_RESOURCES
#define MX_ERR_NO_SPACE                          ZX_ERR_NO_SPACE
#define MX_ERR_OUT_OF_RANGE                      ZX_ERR_OUT_OF_RANGE
#define MX_ERR_PEER_CLOSED                       ZX_ERR_PEER_CLOSED
#define MX_ERR_PROTOCOL_NOT_SUPPORTED            ZX_ERR_PROTOCOL_NOT_SUPPORTED
#define MX_ERR_SHOULD_WAIT                       ZX_ERR_SHOULD_WAIT
#define MX_ERR_STOP                              ZX_ERR_STOP
#define MX_ERR_TIMED_OUT                         ZX_ERR_TIMED_OUT
#define MX_ERR_UNAVAILABLE                       ZX_ERR_UNAVAILABLE
#define MX_ERR_WRONG_TYPE                        ZX_ERR_WRONG_TYPE
#define MX_HANDLE_INVALID                        ZX_HANDLE_INVALID
#define MX_INFO_HANDLE_BASIC                     ZX_INFO_HANDLE_BASIC
#define MX_INFO_HANDLE_VALID                     ZX_INFO_HANDLE_VALID
#define MX_INFO_SOCKET                           ZX_INFO_SOCKET
#define MX_MSEC(n)                               ZX_MSEC(n)
#define MX_NSEC(n)                               ZX_NSEC(n)
#define MX_OBJ_TYPE_SOCKET                       ZX_OBJ_TYPE_SOCKET
#define MX_OK                                    ZX_OK
#define MX_PROP_SOCKET_RX_THRESHOLD              ZX_PROP_SOCKET_RX_THRESHOLD
#define MX_PROP_SOCKET_TX_THRESHOLD              ZX_PROP_SOCKET_TX_THRESHOLD
#define MX_RIGHTS_BASIC                          ZX_RIGHTS_BASIC
#define MX_RIGHTS_IO                             ZX_RIGHTS_IO
#define MX_RIGHTS_POLICY                         ZX_RIGHTS_POLICY
#define MX_RIGHTS_PROPERTY                       ZX_RIGHTS_PROPERTY
#define MX_RIGHT_APPLY_PROFILE                   ZX_RIGHT_APPLY_PROFILE
#define MX_RIGHT_DESTROY                         ZX_RIGHT_DESTROY
#define MX_RIGHT_DUPLICATE                       ZX_RIGHT_DUPLICATE
#define MX_RIGHT_ENUMERATE                       ZX_RIGHT_ENUMERATE
#define MX_RIGHT_EXECUTE                         ZX_RIGHT_EXECUTE
#define MX_RIGHT_GET_POLICY                      ZX_RIGHT_GET_POLICY
#define MX_RIGHT_GET_PROPERTY                    ZX_RIGHT_GET_PROPERTY
#define MX_RIGHT_INSPECT                         ZX_RIGHT_INSPECT
#define MX_RIGHT_MANAGE_JOB                      ZX_RIGHT_MANAGE_JOB
#define MX_RIGHT_MANAGE_PROCESS                  ZX_RIGHT_MANAGE_PROCESS
#define MX_RIGHT_MANAGE_SOCKET                   ZX_RIGHT_MANAGE_SOCKET
#define MX_RIGHT_MANAGE_THREAD                   ZX_RIGHT_MANAGE_THREAD
#define MX_RIGHT_MAP                             ZX_RIGHT_MAP
#define MX_RIGHT_NONE                            ZX_RIGHT_NONE
#define MX_RIGHT_OP_CHILDREN                     ZX_RIGHT_OP_CHILDREN
#define MX_RIGHT_READ                            ZX_RIGHT_READ
#define MX_RIGHT_RESIZE                          ZX_RIGHT_RESIZE
#define MX_RIGHT_SAME_RIGHTS                     ZX_RIGHT_SAME_RIGHTS
#define MX_RIGHT_SET_POLICY                      ZX_RIGHT_SET_POLICY
#define MX_RIGHT_SET_PROPERTY                    ZX_RIGHT_SET_PROPERTY
#define MX_RIGHT_SIGNAL                          ZX_RIGHT_SIGNAL
#define MX_RIGHT_SIGNAL_PEER                     ZX_RIGHT_SIGNAL_PEER
#define MX_RIGHT_TRANSFER                        ZX_RIGHT_TRANSFER
#define MX_RIGHT_WAIT                            ZX_RIGHT_WAIT
#define MX_RIGHT_WRITE                           ZX_RIGHT_WRITE
#define MX_SEC(n)                                ZX_SEC(n)
#define MX_SIGNAL_HANDLE_CLOSED                  ZX_SIGNAL_HANDLE_CLOSED
#define MX_SIGNAL_NONE                           ZX_SIGNAL_NONE
#define MX_SOCKET_ACCEPT                         ZX_SOCKET_ACCEPT
#define MX_SOCKET_CONTROL                        ZX_SOCKET_CONTROL
#define MX_SOCKET_CONTROL_READABLE               ZX_SOCKET_CONTROL_READABLE
#define MX_SOCKET_CONTROL_WRITABLE               ZX_SOCKET_CONTROL_WRITABLE
#define MX_SOCKET_DATAGRAM                       ZX_SOCKET_DATAGRAM
#define MX_SOCKET_DISPOSITION_WRITE_DISABLED     ZX_SOCKET_DISPOSITION_WRITE_DISABLED
#define MX_SOCKET_DISPOSITION_WRITE_ENABLED      ZX_SOCKET_DISPOSITION_WRITE_ENABLED
#define MX_SOCKET_HAS_ACCEPT                     ZX_SOCKET_HAS_ACCEPT
#define MX_SOCKET_HAS_CONTROL                    ZX_SOCKET_HAS_CONTROL
#define MX_SOCKET_PEEK                           ZX_SOCKET_PEEK
#define MX_SOCKET_PEER_CLOSED                    ZX_SOCKET_PEER_CLOSED
#define MX_SOCKET_PEER_WRITE_DISABLED            ZX_SOCKET_PEER_WRITE_DISABLED
#define MX_SOCKET_READABLE                       ZX_SOCKET_READABLE
#define MX_SOCKET_READ_DISABLED                  ZX_SOCKET_READ_DISABLED
#define MX_SOCKET_READ_THRESHOLD                 ZX_SOCKET_READ_THRESHOLD
#define MX_SOCKET_SHARE                          ZX_SOCKET_SHARE
#define MX_SOCKET_SHUTDOWN_READ                  ZX_SOCKET_SHUTDOWN_READ
#define MX_SOCKET_SHUTDOWN_WRITE                 ZX_SOCKET_SHUTDOWN_WRITE
#define MX_SOCKET_STREAM                         ZX_SOCKET_STREAM
#define MX_SOCKET_WRITABLE                       ZX_SOCKET_WRITABLE
#define MX_SOCKET_WRITE_DISABLED                 ZX_SOCKET_WRITE_DISABLED
#define MX_SOCKET_WRITE_THRESHOLD                ZX_SOCKET_WRITE_THRESHOLD
#define MX_TIME_INFINITE                         ZX_TIME_INFINITE
#define MX_CLOCK_MONOTONIC                       ZX_CLOCK_MONOTONIC
#define MX_CLOCK_UTC                             ZX_CLOCK_UTC
#define MX_CLOCK_THREAD                          ZX_CLOCK_THREAD
#define MX_USEC(n)                               ZX_USEC(n)
#define MX_USER_SIGNAL_0                         ZX_USER_SIGNAL_0
#define MX_USER_SIGNAL_1                         ZX_USER_SIGNAL_1
#define MX_USER_SIGNAL_2                         ZX_USER_SIGNAL_2
#define MX_USER_SIGNAL_3                         ZX_USER_SIGNAL_3
#define MX_USER_SIGNAL_4                         ZX_USER_SIGNAL_4
#define MX_USER_SIGNAL_5                         ZX_USER_SIGNAL_5
#define MX_USER_SIGNAL_6                         ZX_USER_SIGNAL_6
#define MX_USER_SIGNAL_7                         ZX_USER_SIGNAL_7
#define MX_USER_SIGNAL_ALL                       ZX_USER_SIGNAL_ALL
#define MX_WAIT_MANY_MAX_ITEMS                   ZX_WAIT_MANY_MAX_ITEMS

#endif /* MAGENTA_TYPES_H_ */
