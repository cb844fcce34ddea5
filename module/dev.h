/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/objhash, the character-device front end of one table: dev.c has the
 * device and the single commands, dump.c DUMP, batch.c BATCH.
 */
#ifndef _OBJHASH_DEV_H
#define _OBJHASH_DEV_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct file;
struct objhash_table;
struct objhash_insert;
struct objhash_lookup;
struct objhash_delete;

int objhash_dev_register(struct objhash_table *t);
void objhash_dev_unregister(void);

/* Shared by the command files. */
struct objhash_table *objhash_file_table(struct file *file);
int objhash_copy_key(void *key, u64 ukey, u32 key_len);
int objhash_probe_writable(void __user *uarg, const void *args, size_t size);
int objhash_do_insert(struct objhash_table *t, struct objhash_insert *args,
		      void __user *uprobe);
int objhash_do_lookup(struct file *file, struct objhash_lookup *args,
		      void __user *uprobe);
int objhash_do_delete(struct objhash_table *t,
		      const struct objhash_delete *args);

long objhash_ioctl_dump(struct file *file, void __user *uarg, size_t usize);
long objhash_ioctl_batch(struct file *file, void __user *uarg, size_t usize);

#endif /* _OBJHASH_DEV_H */
