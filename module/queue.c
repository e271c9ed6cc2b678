// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket byte queues.
 *
 * A queue is a list of page-sized chunks.  Pages are taken only when the
 * tail chunk is full and no spare is kept, and returned as the head drains,
 * so an idle queue that never held data holds no page.  A queue in steady
 * use allocates nothing: the last drained chunk is rewound in place, and up
 * to ZXS_SPARES_MAX drained chunks wait on @spares for the next append,
 * so streaming big writes does not go to the page allocator (and the memory
 * cgroup) for every page.  Pages are charged to the pair creator's memory
 * cgroup.
 *
 * Idle queues give their pages back: when a chunk is rewound or kept as a
 * spare, the queue's trim work is armed (unless already pending: one bit
 * test on the hot path).  The work runs ZXS_TRIM_DELAY later; if the queue
 * was appended to since its last run it only re-arms, otherwise it frees
 * the spares and, if the queue is empty, the rewound chunk.  So a pair left
 * idle holds no buffer page after one to two ZXS_TRIM_DELAYs.
 *
 * Callers hold the pair lock; nothing here sleeps except page allocation,
 * user copies and zxs_queue_destroy() (which waits for the trim work).
 * The trim work takes the pair lock only with mutex_trylock() and retries
 * later if it is busy, so zxs_queue_destroy() may wait for it under that
 * lock.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "zxsocket.h"

/* Drained pages kept per queue: 64 KiB with 4 KiB pages. */
#define ZXS_SPARES_MAX	16
#define ZXS_TRIM_DELAY	HZ

/*
 * The header lives apart from its page, so that a chunk holds a whole
 * page of data: a 4 KiB write is one aligned copy into one page, as in a
 * pipe, not two copies into two pages.
 */
struct zxs_chunk {
	struct list_head link;
	u32 head;		/* first unread byte in data[] */
	u32 tail;		/* one past the last written byte */
	u8 *data;		/* one page */
};

#define ZXS_CHUNK_BYTES	((u32)PAGE_SIZE)

static struct zxs_chunk *zxs_queue_tail(struct zxs_queue *q)
{
	if (list_empty(&q->chunks))
		return NULL;
	return list_last_entry(&q->chunks, struct zxs_chunk, link);
}

static void zxs_chunk_free(struct zxs_chunk *c)
{
	free_page((unsigned long)c->data);
	kfree(c);
}

static void zxs_chunks_free(struct list_head *list)
{
	struct zxs_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, list, link)
		zxs_chunk_free(c);
	INIT_LIST_HEAD(list);
}

/* The pair lock: the queue is some endpoint's rx. */
static struct mutex *zxs_queue_lock(struct zxs_queue *q)
{
	return &container_of(q, struct zxs_endpoint, rx)->pair->lock;
}

static void zxs_queue_arm_trim(struct zxs_queue *q)
{
	if (!delayed_work_pending(&q->trim))
		schedule_delayed_work(&q->trim, ZXS_TRIM_DELAY);
}

static void zxs_queue_trim(struct work_struct *work)
{
	struct zxs_queue *q = container_of(to_delayed_work(work),
					   struct zxs_queue, trim);
	struct mutex *lock = zxs_queue_lock(q);
	LIST_HEAD(drop);

	if (!mutex_trylock(lock)) {
		schedule_delayed_work(&q->trim, ZXS_TRIM_DELAY);
		return;
	}
	if (q->busy) {
		/* In use: look again later. */
		q->busy = false;
		schedule_delayed_work(&q->trim, ZXS_TRIM_DELAY);
	} else {
		list_splice_init(&q->spares, &drop);
		q->nspares = 0;
		/* Empty: what is left is the rewound chunk. */
		if (!q->bytes)
			list_splice_init(&q->chunks, &drop);
	}
	mutex_unlock(lock);
	zxs_chunks_free(&drop);
}

void zxs_queue_init(struct zxs_queue *q)
{
	INIT_LIST_HEAD(&q->chunks);
	INIT_LIST_HEAD(&q->spares);
	q->nspares = 0;
	q->busy = false;
	q->bytes = 0;
	INIT_DELAYED_WORK(&q->trim, zxs_queue_trim);
}

static struct zxs_chunk *zxs_chunk_alloc(struct zxs_queue *q,
					 struct mem_cgroup *memcg)
{
	struct mem_cgroup *old;
	struct zxs_chunk *c;

	c = list_first_entry_or_null(&q->spares, struct zxs_chunk, link);
	if (c) {
		list_del(&c->link);
		q->nspares--;
	} else {
		old = set_active_memcg(memcg);
		c = kmalloc(sizeof(*c), ZXS_GFP_DATA);
		if (c)
			c->data = (u8 *)__get_free_page(ZXS_GFP_DATA);
		set_active_memcg(old);
		if (c && !c->data) {
			kfree(c);
			c = NULL;
		}
		if (!c)
			return NULL;
	}
	c->head = 0;
	c->tail = 0;
	return c;
}

/* Keep a drained chunk for a later append, up to ZXS_SPARES_MAX. */
static void zxs_chunk_retire(struct zxs_queue *q, struct zxs_chunk *c)
{
	if (q->nspares < ZXS_SPARES_MAX) {
		list_add(&c->link, &q->spares);
		q->nspares++;
		zxs_queue_arm_trim(q);
	} else {
		zxs_chunk_free(c);
	}
}

/* Free everything.  May sleep: waits for a running trim. */
void zxs_queue_destroy(struct zxs_queue *q)
{
	cancel_delayed_work_sync(&q->trim);
	zxs_chunks_free(&q->chunks);
	zxs_chunks_free(&q->spares);
	q->nspares = 0;
	q->bytes = 0;
}

void zxs_queue_mark(struct zxs_queue *q, struct zxs_queue_mark *m)
{
	m->tail = zxs_queue_tail(q);
	m->tail_off = m->tail ? m->tail->tail : 0;
	m->bytes = q->bytes;
}

/* Drop everything appended since @m. */
void zxs_queue_rollback(struct zxs_queue *q, const struct zxs_queue_mark *m)
{
	struct zxs_chunk *c;

	for (;;) {
		c = zxs_queue_tail(q);
		if (!c || c == m->tail)
			break;
		list_del(&c->link);
		zxs_chunk_retire(q, c);
	}
	if (c)
		c->tail = m->tail_off;
	q->bytes = m->bytes;
}

/*
 * Append @n bytes from @from.  On failure (-ENOMEM, or -EFAULT when the
 * source faults) the queue is left exactly as it was.
 */
int zxs_queue_append(struct zxs_queue *q, struct iov_iter *from, size_t n,
		     struct mem_cgroup *memcg)
{
	struct zxs_queue_mark mark;
	struct zxs_chunk *c;
	size_t room, step, done;

	zxs_queue_mark(q, &mark);
	q->busy = true;
	c = mark.tail;
	while (n) {
		room = c ? ZXS_CHUNK_BYTES - c->tail : 0;
		if (!room) {
			c = zxs_chunk_alloc(q, memcg);
			if (!c)
				goto fail_nomem;
			list_add_tail(&c->link, &q->chunks);
			room = ZXS_CHUNK_BYTES;
		}
		step = min(room, n);
		done = copy_from_iter(c->data + c->tail, step, from);
		c->tail += done;
		q->bytes += done;
		if (done != step)
			goto fail_fault;
		n -= step;
	}
	return 0;

fail_fault:
	zxs_queue_rollback(q, &mark);
	return -EFAULT;
fail_nomem:
	zxs_queue_rollback(q, &mark);
	return -ENOMEM;
}

/* Copy @n bytes starting @skip bytes after the head, consuming nothing. */
int zxs_queue_copy_out(struct zxs_queue *q, size_t skip, struct iov_iter *to,
		       size_t n)
{
	struct zxs_chunk *c;
	size_t avail, step;

	list_for_each_entry(c, &q->chunks, link) {
		if (!n)
			break;
		avail = c->tail - c->head;
		if (skip >= avail) {
			skip -= avail;
			continue;
		}
		step = min(avail - skip, n);
		if (copy_to_iter(c->data + c->head + skip, step, to) != step)
			return -EFAULT;
		n -= step;
		skip = 0;
	}
	return n ? -EFAULT : 0;
}

/* Drop @n bytes from the head. */
void zxs_queue_consume(struct zxs_queue *q, size_t n)
{
	struct zxs_chunk *c, *tmp;
	size_t avail, step;

	q->bytes -= n;
	list_for_each_entry_safe(c, tmp, &q->chunks, link) {
		avail = c->tail - c->head;
		step = min(avail, n);
		c->head += step;
		n -= step;
		if (c->head != c->tail)
			break;
		if (list_is_last(&c->link, &q->chunks)) {
			/* The queue is empty: rewind the chunk in place. */
			c->head = 0;
			c->tail = 0;
			zxs_queue_arm_trim(q);
			break;
		}
		list_del(&c->link);
		zxs_chunk_retire(q, c);
	}
	WARN_ON_ONCE(n);
}
