// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket files: one inode per handle, on a private pseudo filesystem.
 *
 * A handle is an inode of "zxsocketfs" (never mounted where users can see
 * it) with its Zircon rights embedded, and every open file of an endpoint
 * is a file on such an inode.  zxs_handle_file() makes the first file of a
 * handle; opening /proc/<pid>/fd/<n> makes another one on the same inode,
 * which is how "cat file > /proc/self/fd/N" reaches the socket.  A re-opened
 * file shares the handle, so it has exactly the handle's rights: an open
 * asking for more (FMODE_READ without ZXS_RIGHT_READ, FMODE_WRITE without
 * ZXS_RIGHT_WRITE) fails with EACCES.
 *
 * Lifetimes: the handle lives as long as its inode, that is until the last
 * file on it (and so the last dentry reference) is gone; evicting the inode
 * drops the handle (zxs_handle_drop()), which may kill the endpoint.  Each
 * handle holds one reference on its pair.  The files pin the module through
 * zxs_endpoint_fops.owner; the filesystem itself has no owner, so its own
 * mount does not pin the module, and module exit unmounts it.  The last
 * fput() of a file drops the module reference before it evicts the inode,
 * so module exit waits for the superblock to be gone (zxsfs_gone), which
 * is after the last eviction, before the module's memory can go.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/completion.h>
#include <linux/fs_context.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>

#include "zxsocket.h"

#define ZXSFS_MAGIC	0x7a78736b	/* "zxsk" */

struct zxs_inode {
	struct zxs_handle handle;
	struct inode vfs_inode;
};

static struct kmem_cache *zxs_inode_cache;
static struct vfsmount *zxs_mnt;
static DECLARE_COMPLETION(zxsfs_gone);

static struct zxs_handle *zxs_inode_handle(struct inode *inode)
{
	return &container_of(inode, struct zxs_inode, vfs_inode)->handle;
}

static struct inode *zxsfs_alloc_inode(struct super_block *sb)
{
	struct zxs_inode *zi;

	zi = alloc_inode_sb(sb, zxs_inode_cache, GFP_KERNEL);
	if (!zi)
		return NULL;
	zi->handle.ep = NULL;
	zi->handle.rights = 0;
	return &zi->vfs_inode;
}

static void zxsfs_free_inode(struct inode *inode)
{
	kmem_cache_free(zxs_inode_cache,
			container_of(inode, struct zxs_inode, vfs_inode));
}

static void zxsfs_evict_inode(struct inode *inode)
{
	struct zxs_handle *h = zxs_inode_handle(inode);

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (h->ep)
		zxs_handle_drop(h);
}

static const struct super_operations zxsfs_sops = {
	.alloc_inode	= zxsfs_alloc_inode,
	.free_inode	= zxsfs_free_inode,
	.evict_inode	= zxsfs_evict_inode,
	.drop_inode	= generic_delete_inode,
	.statfs		= simple_statfs,
};

/* The /proc/<pid>/fd link: "zxsocket:[<koid>]". */
static char *zxsfs_dname(struct dentry *dentry, char *buf, int buflen)
{
	struct zxs_handle *h = zxs_inode_handle(d_inode(dentry));
	char name[32];
	int len;

	len = snprintf(name, sizeof(name), "zxsocket:[%llu]",
		       h->ep ? h->ep->koid : 0) + 1;
	if (len > buflen)
		return ERR_PTR(-ENAMETOOLONG);
	return memcpy(buf + buflen - len, name, len);
}

static const struct dentry_operations zxsfs_dops = {
	.d_dname	= zxsfs_dname,
};

static int zxsfs_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, ZXSFS_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->ops = &zxsfs_sops;
	ctx->dops = &zxsfs_dops;
	return 0;
}

static void zxsfs_kill_sb(struct super_block *sb)
{
	kill_anon_super(sb);
	complete(&zxsfs_gone);
}

static struct file_system_type zxsfs_type = {
	.name		= "zxsocketfs",
	.init_fs_context = zxsfs_init_fs_context,
	.kill_sb	= zxsfs_kill_sb,
};

/* Pipe-like: no seeking, no positional I/O; RWF_NOWAIT is supported. */
static void zxs_file_setup(struct file *file)
{
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE |
			  FMODE_ATOMIC_POS);
	file->f_mode |= FMODE_STREAM | FMODE_NOWAIT;
}

/*
 * Make the first file of a new handle on @ep.  The handle counts in
 * ep->handles and holds a pair reference from here on; on failure both
 * are dropped again (which may kill @ep, as closing would).
 */
struct file *zxs_handle_file(struct zxs_endpoint *ep, u32 rights, int flags)
{
	struct zxs_handle *h;
	struct inode *inode;
	struct file *file;

	inode = alloc_anon_inode(zxs_mnt->mnt_sb);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	inode->i_fop = &zxs_endpoint_fops;
	h = zxs_inode_handle(inode);
	h->rights = rights;
	zxs_handle_attach(h, ep);

	/* The file's release puts this, as for any file of our fops. */
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, zxs_mnt, "zxsocket",
				 flags & (O_ACCMODE | O_NONBLOCK),
				 &zxs_endpoint_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
		return file;
	}
	file->private_data = h;
	zxs_file_setup(file);
	return file;
}

/* open(2) of /proc/<pid>/fd/<n>: another file on the same handle. */
int zxs_endpoint_open(struct inode *inode, struct file *file)
{
	struct zxs_handle *h = zxs_inode_handle(inode);

	if (!h->ep)
		return -ENXIO;
	if (((file->f_mode & FMODE_READ) && !(h->rights & ZXS_RIGHT_READ)) ||
	    ((file->f_mode & FMODE_WRITE) && !(h->rights & ZXS_RIGHT_WRITE)))
		return -EACCES;
	file->private_data = h;
	zxs_file_setup(file);
	return 0;
}

static void zxs_inode_init_once(void *obj)
{
	struct zxs_inode *zi = obj;

	inode_init_once(&zi->vfs_inode);
}

int __init zxs_files_init(void)
{
	zxs_inode_cache = kmem_cache_create("zxsocket_inode",
					    sizeof(struct zxs_inode), 0,
					    SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					    zxs_inode_init_once);
	if (!zxs_inode_cache)
		return -ENOMEM;
	zxs_mnt = kern_mount(&zxsfs_type);
	if (IS_ERR(zxs_mnt)) {
		kmem_cache_destroy(zxs_inode_cache);
		return PTR_ERR(zxs_mnt);
	}
	return 0;
}

void zxs_files_exit(void)
{
	kern_unmount(zxs_mnt);
	/* A racing last fput() may still hold the mount: wait for it. */
	wait_for_completion(&zxsfs_gone);
	/* Inodes are freed after a grace period. */
	rcu_barrier();
	kmem_cache_destroy(zxs_inode_cache);
}
