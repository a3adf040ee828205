/*
 * bind_probe.c: reads /data/in.txt from a --bind mount and tries to write
 * /data/out.txt; read-only unless the bind says :rw.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buf[256] = "";
    int fd = open("/data/in.txt", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    printf("read %s\n", n >= 0 ? buf : strerrorname_np(errno));
    if (fd >= 0)
        close(fd);
    fd = open("/data/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, "written", 7) == 7;
    printf("write %s\n", ok ? "ok" : strerrorname_np(errno));
    if (fd >= 0)
        close(fd);
    return 0;
}
