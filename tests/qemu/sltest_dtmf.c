// SPDX-License-Identifier: GPL-2.0
/*
 * sltest_dtmf.ko, for the rig only: plays a card whose echo canceller
 * detects DTMF. The rig's loc spans have no such hardware, so this queues
 * DAHDI_EVENT_DTMFDOWN/UP on a channel exactly as wct4xxp and xpp do, through
 * the exported dahdi_qevent_lock() (or dahdi_qevent_nolock() under the
 * channel's lock). The channel is named by an open DAHDI file descriptor of
 * the writing process, so its pointer comes from DAHDI itself:
 *
 *   echo "FD down|up|pulse|polarity DIGIT [lock|nolock]" >/sys/kernel/debug/sltest_dtmf/qevent
 *
 * (pulse: DAHDI_EVENT_PULSEDIGIT, an event that is no card DTMF, for a control;
 * polarity: DAHDI_EVENT_POLARITY as an FXO module reports a reversal, DIGIT ignored).
 *
 * FD: a descriptor of /dev/dahdi/channel after DAHDI_SPECIFY (tests/qemu/rig-chan.c
 * "dtmf"). Bad input: EINVAL, nothing queued.
 */

#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <dahdi/kernel.h>

static struct dentry *dir;

/* the channel behind an open DAHDI channel descriptor of the caller, or NULL */
static struct dahdi_chan *chan_of(struct file *f)
{
	struct inode *inode = file_inode(f);

	if (!S_ISCHR(inode->i_mode) || imajor(inode) != DAHDI_MAJOR)
		return NULL;
	return f->private_data;	/* DAHDI_SPECIFY set it */
}

static ssize_t qevent_write(struct file *file, const char __user *ubuf, size_t len,
			    loff_t *ppos)
{
	char buf[64], how[12], mode[8] = "lock";
	struct dahdi_chan *chan;
	unsigned long flags;
	struct fd f;
	int fd, n, event;
	char digit;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%d %11s %c %7s", &fd, how, &digit, mode);
	if (n < 3 || !strchr("0123456789*#ABCD", digit))
		return -EINVAL;
	if (!strcmp(how, "down"))
		event = DAHDI_EVENT_DTMFDOWN | digit;
	else if (!strcmp(how, "up"))
		event = DAHDI_EVENT_DTMFUP | digit;
	else if (!strcmp(how, "pulse"))
		event = DAHDI_EVENT_PULSEDIGIT | digit;
	else if (!strcmp(how, "polarity"))
		event = DAHDI_EVENT_POLARITY;
	else
		return -EINVAL;
	if (strcmp(mode, "lock") && strcmp(mode, "nolock"))
		return -EINVAL;

	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	chan = chan_of(f.file);
	if (!chan) {
		fdput(f);
		return -EINVAL;
	}
	if (!strcmp(mode, "lock")) {
		dahdi_qevent_lock(chan, event);
	} else {
		spin_lock_irqsave(&chan->lock, flags);
		dahdi_qevent_nolock(chan, event);
		spin_unlock_irqrestore(&chan->lock, flags);
	}
	fdput(f);
	return len;
}

static const struct file_operations qevent_fops = {
	.owner = THIS_MODULE,
	.write = qevent_write,
	.llseek = noop_llseek,
};

static int __init sltest_dtmf_init(void)
{
	dir = debugfs_create_dir("sltest_dtmf", NULL);
	debugfs_create_file("qevent", 0200, dir, NULL, &qevent_fops);
	return 0;
}

static void __exit sltest_dtmf_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(sltest_dtmf_init);
module_exit(sltest_dtmf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SafeLine rig: queue card DTMF events on a DAHDI channel");
