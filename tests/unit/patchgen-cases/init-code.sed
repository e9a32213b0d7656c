s/return limit + 1;/return limit + 2;/
