// SPDX-License-Identifier: GPL-2.0
/* Temporary bring-up skeleton: registers /dev/objhash, every ioctl ENOTTY. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/objhash.h>

static long objhash_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations objhash_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= objhash_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice objhash_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "objhash",
	.fops	= &objhash_fops,
	.mode	= 0600,
};
module_misc_device(objhash_misc);
MODULE_LICENSE("GPL");
