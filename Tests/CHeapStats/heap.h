// The allocator's own count of bytes handed out and not yet freed (glibc's mallinfo2, all
// arenas, mmapped blocks included): the memory tests measure parts of the engine with it,
// since resident memory keeps freed memory until a whole page is free.
#include <malloc.h>
#include <stddef.h>

static inline size_t svclab_heap_bytes_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}
