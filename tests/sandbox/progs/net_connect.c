/*
 * net_connect.c: tries to reach the host through every kind of socket: TCP
 * and UDP to a listener on the host's 127.0.0.1 (port in argv[1], UDP port in
 * argv[2]), IPv6, netlink, packet sockets, and an abstract AF_UNIX socket the
 * host listens on (argv[3]; the network namespace must hide it). Prints
 * "NAME ok" or "NAME err ERRNO" per attempt; the driver judges.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "prog_common.h"

static void report(const char *name, int rc)
{
    if (rc >= 0)
        printf("%s ok\n", name);
    else
        printf("%s err %s\n", name, strerrorname_np(errno));
}

int main(int argc, char **argv)
{
    record_uid();
    int port = argc > 1 ? atoi(argv[1]) : 1;
    int uport = argc > 2 ? atoi(argv[2]) : 1;
    const char *abstract = argc > 3 ? argv[3] : "crucible-test";

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    report("inet_socket", fd);
    if (fd >= 0) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        report("inet_connect", connect(fd, (struct sockaddr *)&a, sizeof(a)));
        close(fd);
    }

    fd = socket(AF_INET, SOCK_DGRAM, 0);
    report("udp_socket", fd);
    if (fd >= 0) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(uport) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        report("udp_sendto", (int)sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
        close(fd);
    }

    fd = socket(AF_INET6, SOCK_STREAM, 0);
    report("inet6_socket", fd);
    if (fd >= 0) {
        struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
        inet_pton(AF_INET6, "::ffff:127.0.0.1", &a.sin6_addr);
        report("inet6_connect", connect(fd, (struct sockaddr *)&a, sizeof(a)));
        close(fd);
    }

    fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    report("netlink_socket", fd);
    if (fd >= 0)
        close(fd);

    fd = socket(AF_PACKET, SOCK_RAW, 0);
    report("packet_socket", fd);
    if (fd >= 0)
        close(fd);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    report("unix_socket", fd);
    if (fd >= 0) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        size_t len = strlen(abstract);
        if (len > sizeof(a.sun_path) - 1)
            len = sizeof(a.sun_path) - 1;
        memcpy(a.sun_path + 1, abstract, len);   /* sun_path[0] = 0: abstract */
        socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
        report("unix_abstract_connect", connect(fd, (struct sockaddr *)&a, alen));
        close(fd);
    }
    return 0;
}
