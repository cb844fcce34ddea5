/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/objhash, the character-device front end of one table (dev.c). */
#ifndef _OBJHASH_DEV_H
#define _OBJHASH_DEV_H

struct objhash_table;

int objhash_dev_register(struct objhash_table *t);
void objhash_dev_unregister(void);

#endif /* _OBJHASH_DEV_H */
