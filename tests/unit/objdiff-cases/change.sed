s/return x \* 3;/return x * 5;/
s/report("old", x)/report("new", x)/
s/printk("old %d\\n", x)/printk("new %d\\n", x)/
s/^int removed(int x)/int added(int x)/
