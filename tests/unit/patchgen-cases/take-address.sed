s/^extern int internal_helper(int x);$/&\nint other(int x);/
s/return 2 \* x + counter;/return 3 * x + counter;/
s/printk("show %d\\n", twice(x));/printk("show %d %p %p %p\\n", twice(x), (void *)twice, (void *)show, (void *)other);/
