/*
 * gpu_probe.c: what a GPU program would look for: the nvidia device nodes
 * (opened read-write; with fake nodes an allowed one fails with ENXIO or
 * ENODEV, a refused one with EPERM, a hidden one with ENOENT) and
 * CUDA_VISIBLE_DEVICES. Prints "open PATH ok|ERRNO" and "cuda VALUE".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    static const char *paths[] = {
        "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia0", "/dev/nvidia1",
        "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        int fd = open(paths[i], O_RDWR);
        printf("open %s %s\n", paths[i], fd >= 0 ? "ok" : strerrorname_np(errno));
        if (fd >= 0)
            close(fd);
    }
    const char *cuda = getenv("CUDA_VISIBLE_DEVICES");
    printf("cuda %s\n", cuda ? cuda : "(unset)");
    return 0;
}
