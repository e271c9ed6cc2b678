// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket: Fuchsia's Zircon socket object on Linux.
 *
 * This file holds the module's entry points and /dev/zxsocket, the device
 * through which sockets and ports are created and waited on in groups.
 * Endpoints and their calls live in endpoint.c, ports in port.c, waits in
 * wait.c, byte queues in queue.c; endpoint.c documents the locking.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "zxsocket.h"

/* Read once per pair at creation; changing it needs a reload. */
unsigned int zxs_capacity = 256 * 1024;
module_param_named(rx_buf_max, zxs_capacity, uint, 0444);
MODULE_PARM_DESC(rx_buf_max,
		 "receive queue capacity per endpoint in bytes (default 262144, 4096..67108864)");

#define ZXS_CAPACITY_MIN	4096u
#define ZXS_CAPACITY_MAX	(64u << 20)

static long zxs_device_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case ZXS_IOC_CREATE:
		return zxs_create(uarg);
	case ZXS_IOC_WAIT_MANY:
		return zxs_wait_many(uarg);
	case ZXS_IOC_PORT_CREATE:
		return zxs_port_create(uarg);
	case ZXS_IOC_WAIT_ASYNC:
		return zxs_wait_async(uarg);
	case ZXS_IOC_PORT_CANCEL:
		return zxs_port_cancel(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations zxs_device_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= zxs_device_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice zxs_device = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "zxsocket",
	.fops	= &zxs_device_fops,
	.mode	= 0666,
};

static int __init zxs_init(void)
{
	int ret;

	if (zxs_capacity < ZXS_CAPACITY_MIN || zxs_capacity > ZXS_CAPACITY_MAX) {
		pr_err("zxsocket: rx_buf_max=%u is outside %u..%u\n",
		       zxs_capacity, ZXS_CAPACITY_MIN, ZXS_CAPACITY_MAX);
		return -EINVAL;
	}
	ret = zxs_files_init();
	if (ret)
		return ret;
	ret = misc_register(&zxs_device);
	if (ret)
		goto err_files;
	return 0;

err_files:
	zxs_files_exit();
	return ret;
}

static void __exit zxs_exit(void)
{
	misc_deregister(&zxs_device);
	zxs_files_exit();
}

module_init(zxs_init);
module_exit(zxs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Zircon sockets: Fuchsia's socket object as anon-inode fds");
MODULE_AUTHOR("The zxsocket authors");
