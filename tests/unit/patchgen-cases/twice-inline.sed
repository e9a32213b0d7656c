s/^static __attribute__((noinline)) int twice/static inline __attribute__((always_inline)) int twice/
