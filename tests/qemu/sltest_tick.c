// SPDX-License-Identifier: GPL-2.0
/*
 * sltest_tick.ko, for the rig's data-path benchmark only: the CPU time of DAHDI's whole tick.
 * dahdi_dummy's hrtimer handler is the rig's timing master: every span's receive and
 * transmit (dahdi_dynamic's loc spans included, synchronously) runs inside it, and so do
 * safeline.ko's probes when it is loaded. A kretprobe times each call, the same with and
 * without safeline.ko, so the difference is what safeline.ko adds to a tick.
 *
 *   cat /sys/kernel/debug/sltest_tick/stats   ->  "ticks N ns T"
 *   echo 0 >/sys/kernel/debug/sltest_tick/stats   (start over)
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>

static atomic64_t ticks, ns;

static int tick_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(u64 *)ri->data = local_clock();
	return 0;
}

static int tick_exit(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	atomic64_add(local_clock() - *(u64 *)ri->data, &ns);
	atomic64_inc(&ticks);
	return 0;
}

static struct kretprobe tick_probe = {
	.kp.symbol_name = "dahdi_dummy_hr_int",
	.entry_handler = tick_entry,
	.handler = tick_exit,
	.data_size = sizeof(u64),
	.maxactive = 8,
};

static int stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "ticks %lld ns %lld\n", atomic64_read(&ticks), atomic64_read(&ns));
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, NULL);
}

static ssize_t stats_write(struct file *file, const char __user *buf, size_t len,
			   loff_t *ppos)
{
	atomic64_set(&ticks, 0);
	atomic64_set(&ns, 0);
	return len;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.write = stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static struct dentry *dir;

static int __init sltest_tick_init(void)
{
	int ret = register_kretprobe(&tick_probe);

	if (ret)
		return ret;
	dir = debugfs_create_dir("sltest_tick", NULL);
	debugfs_create_file("stats", 0600, dir, NULL, &stats_fops);
	return 0;
}

static void __exit sltest_tick_exit(void)
{
	debugfs_remove_recursive(dir);
	unregister_kretprobe(&tick_probe);
}

module_init(sltest_tick_init);
module_exit(sltest_tick_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SafeLine rig: time DAHDI's tick (benchmark only)");
