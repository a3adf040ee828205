/*
 * mem_touch.c: touches exactly the MiB given as its argument, holds them a
 * moment and exits 0; memory_bytes must report about that much.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    size_t size = mib << 20;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 12;
    for (size_t off = 0; off < size; off += 4096)
        p[off] = 1;
    usleep(50 * 1000);
    printf("touched %zu MiB\n", mib);
    return 0;
}
