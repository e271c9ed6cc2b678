/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zxsocket: internal declarations shared by the module's files.
 *
 * Objects:
 *   struct zxs_pair      one socket: two endpoints, one lock, one capacity
 *   struct zxs_endpoint  one end: its receive queue, signals, waitqueue
 *   struct zxs_handle    one handle (an inode of zxsocketfs, file.c) on an
 *                        endpoint, with its Zircon rights; open files on
 *                        the inode share it
 *   struct zxs_queue     a byte queue in page-sized chunks taken as data
 *                        arrives and returned as it drains
 *   struct zxs_port      a Zircon port: a packet queue (port.c)
 *   struct zxs_observer  one zx_object_wait_async: armed on an endpoint,
 *                        then a packet queued on its port
 *
 * Lifetimes: a handle is an inode (file.c) that one or more open files
 * share; it counts in its endpoint's @handles and holds one reference on
 * the pair until the inode is evicted.  The pair (and so both endpoints'
 * memory) lives until no handle is left, so a live endpoint may always
 * touch its peer's fields under the lock even after the peer died.
 */
#ifndef ZXSOCKET_INTERNAL_H
#define ZXSOCKET_INTERNAL_H

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/zxsocket.h>

struct mem_cgroup;

/*
 * Memory a user can make the module hold in bulk: queue pages, control
 * messages, user port packets and async waits.  It is charged to a memory
 * cgroup, and when that cgroup is full the call fails with ENOMEM
 * (ZX_ERR_NO_MEMORY) rather than waking the memcg OOM killer, which would
 * kill the writer (or a bystander) instead of failing one write.
 */
#define ZXS_GFP_DATA	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | \
			 __GFP_NOWARN)

struct zxs_queue {
	struct list_head chunks;	/* oldest first */
	struct list_head spares;	/* drained chunks kept for reuse */
	unsigned int nspares;
	bool busy;			/* appended to since the last trim */
	size_t bytes;			/* stored bytes, framing included */
	struct delayed_work trim;	/* frees the pages of an idle queue */
};

/* Where a queue's tail stood, so a failed append can be undone. */
struct zxs_queue_mark {
	struct zxs_chunk *tail;
	u32 tail_off;
	size_t bytes;
};

struct zxs_endpoint {
	struct zxs_pair *pair;
	u64 koid;
	u32 signals;		/* written under pair->lock, read locklessly */
	int handles;		/* handles (inodes); 0 = dead */
	bool read_disabled;	/* peer's writes are disabled */
	bool magenta_closed;	/* peer half-closed with MX_SOCKET_HALF_CLOSE */
	bool half_closed;	/* this end half-closed (Magenta) */
	struct file *accept;	/* endpoint shared to us, not yet accepted */
	size_t size;		/* payload bytes queued for this endpoint */
	size_t ndgrams;		/* datagrams queued (datagram sockets) */
	size_t rx_threshold;
	size_t tx_threshold;
	struct zxs_queue rx;
	void *control;		/* control message for this endpoint, or NULL */
	size_t control_len;
	int blocked_writers;	/* in write(2), waiting for room */
	struct list_head observers;	/* armed async waits (port.c) */
	wait_queue_head_t wq;
};

struct zxs_pair {
	struct mutex lock;	/* everything in both endpoints but wq */
	refcount_t ref;
	u32 options;
	size_t capacity;
	struct mem_cgroup *memcg;	/* the creator's: buffers are charged here */
	struct zxs_endpoint ep[2];
};

struct zxs_handle {
	struct zxs_endpoint *ep;
	u32 rights;
};

/* One queued packet: a user packet, or the one an observer carries. */
struct zxs_packet {
	struct list_head node;		/* on port->packets */
	const struct file *source;	/* watched file, NULL for user packets */
	bool user;
	struct zxs_port_packet pkt;
};

struct zxs_port {
	spinlock_t lock;		/* everything below but wq */
	refcount_t ref;			/* one for all files, one per observer */
	int handles;			/* open files */
	bool dead;			/* last file gone: no more packets */
	u64 koid;
	unsigned int nuser;		/* queued user packets */
	unsigned int nobservers;	/* armed observers */
	struct list_head packets;	/* oldest first */
	struct list_head observers;	/* armed */
	wait_queue_head_t wq;
};

struct zxs_port_handle {
	struct zxs_port *port;
	u32 rights;
};

struct zxs_observer {
	struct list_head ep_node;	/* on ep->observers; pair lock */
	struct list_head port_node;	/* on port->observers; port lock */
	struct zxs_endpoint *ep;
	struct zxs_port *port;		/* counted in port->ref */
	u32 trigger;
	u32 options;
	struct zxs_packet packet;
};

/* Signals a change set, to be turned into wakeups after the lock drops. */
struct zxs_wake {
	u32 set[2];
	bool room[2];		/* a blocked write(2) must look again */
	struct file *fput;	/* a dropped accept queue entry, put unlocked */
};

/*
 * Poll key of a "room grew" wakeup: a bit no poll or epoll user asks for,
 * so it reaches only our own blocked writers.
 */
#define ZXS_POLL_ROOM	EPOLLMSG

extern const struct file_operations zxs_endpoint_fops;
extern unsigned int zxs_capacity;

/* endpoint.c */
long zxs_create(struct zxs_create __user *uarg);
struct zxs_handle *zxs_file_handle(struct file *file);
void zxs_handle_attach(struct zxs_handle *h, struct zxs_endpoint *ep);
void zxs_handle_drop(struct zxs_handle *h);

/* file.c */
int zxs_files_init(void);
void zxs_files_exit(void);
struct file *zxs_handle_file(struct zxs_endpoint *ep, u32 rights, int flags);
int zxs_endpoint_open(struct inode *inode, struct file *file);
void zxs_pair_put(struct zxs_pair *pair);
u64 zxs_koid_next(void);

/* queue.c */
void zxs_queue_init(struct zxs_queue *q);
void zxs_queue_destroy(struct zxs_queue *q);
void zxs_queue_mark(struct zxs_queue *q, struct zxs_queue_mark *m);
void zxs_queue_rollback(struct zxs_queue *q, const struct zxs_queue_mark *m);
int zxs_queue_append(struct zxs_queue *q, struct iov_iter *from, size_t n,
		     struct mem_cgroup *memcg);
int zxs_queue_copy_out(struct zxs_queue *q, size_t skip, struct iov_iter *to,
		       size_t n);
void zxs_queue_consume(struct zxs_queue *q, size_t n);

/* port.c */
extern const struct file_operations zxs_port_fops;
long zxs_port_create(struct zxs_port_create __user *uarg);
long zxs_wait_async(struct zxs_wait_async __user *uarg);
long zxs_port_cancel(struct zxs_port_cancel __user *uarg);
void zxs_observers_update(struct zxs_endpoint *ep, u32 old, u32 new);
void zxs_observers_release(struct zxs_endpoint *ep, struct file *file);

/* wait.c */
int zxs_sleep_until(s64 deadline);
bool zxs_deadline_passed(s64 deadline);
__poll_t zxs_signals_to_poll(u32 signals);
long zxs_wait_one(struct zxs_endpoint *ep, struct zxs_wait_one __user *uarg);
long zxs_wait_many(struct zxs_wait_many __user *uarg);

#endif /* ZXSOCKET_INTERNAL_H */
