s/^int other(int x)/__attribute__((cold)) int other(int x)/
