s/static int limit = 10;/static int limit = 11;/
s/counter++;/counter += 2;/
