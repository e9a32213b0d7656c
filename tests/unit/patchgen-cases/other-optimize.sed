s/^int other(int x)/__attribute__((optimize("O1", "no-omit-frame-pointer"))) int other(int x)/
