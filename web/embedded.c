/*
 * embedded.c: the judges `crucible serve` runs alongside itself, so that one
 * command gives a working platform. They are a plain `crucible judge daemon`
 * speaking the judging protocol over loopback, like any remote judge.
 *
 * How this works
 * --------------
 * The sandbox needs root, and the server drops root once it has bound and
 * opened its files. So, while still root and single-threaded, web_serve
 * forks a small supervisor that stays root. It shares one thing with the
 * server: a pipe, whose write end only the server holds. The supervisor
 * starts the daemon (its own process group, an empty signal mask), restarts
 * it with a growing delay when it dies (1 s doubling to 60 s; back to 1 s
 * after a daemon that lived a minute), and waits on the pipe. When the pipe
 * reaches end-of-file the server is gone, however it ended (a clean stop or
 * kill -9): the supervisor sends SIGTERM to the daemon, SIGKILL after
 * STOP_GRACE_S, and then to anything left below it (it is a child
 * subreaper, so sandboxed programs orphaned by a killed daemon come to it),
 * reaps everything and exits. No judge outlives its server.
 *
 * The daemon authenticates as the judge account WEB_EMBEDDED_JUDGE with a
 * token made fresh at each start (the one before is revoked) and written to
 * DATA/judge.token, root-only. The server's account owns the data folder and
 * could swap that file for a link later, so the daemon never opens it by
 * name: the supervisor keeps the descriptor it was written through and each
 * daemon reads /proc/self/fd/3.
 */
#include "web_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN_NAME "embedded"
#define TOKEN_FILE "judge.token"
#define STOP_GRACE_S 3              /* SIGTERM to SIGKILL when the server is gone */
#define RESTART_MIN_S 1
#define RESTART_MAX_S 60
#define HEALTHY_S 60                /* a daemon that lived this long resets the delay */
#define CTL_FD 3                    /* in the supervisor: the pipe's read end */
#define TOKEN_FD 4                  /* in the supervisor; 3 in the daemon */
#define EMBEDDED_WORK_DIR "/run/crucible/judge-embedded"  /* + "-PID" of the supervisor */

/* The one supervisor of this process (a process serves once). */
static pid_t sup_pid = -1;
static int sup_ctl = -1;            /* the pipe's write end */

/* ---- the judge account and its token ---------------------------------------------------------- */

static int account_ensure(struct web_store *s, struct web_user *u, struct err *err)
{
    int rc = web_store_user_by_name(s, WEB_EMBEDDED_JUDGE, u, err);
    if (rc == ERR_NOTFOUND) {
        memset(u, 0, sizeof(*u));
        str_fmt(u->name, sizeof(u->name), "%s", WEB_EMBEDDED_JUDGE);
        str_fmt(u->display_name, sizeof(u->display_name), "Embedded judges");
        u->role = WEB_ROLE_JUDGE;
        u->created_at = (int64_t)time(NULL);
        u->password_hash[0] = '\0';         /* no password login */
        if ((rc = web_store_user_create(s, u, err)) < 0)
            return rc;
        struct web_audit_entry e = { 0 };
        e.at = u->created_at;
        str_fmt(e.address, sizeof(e.address), "crucible serve");
        str_fmt(e.action, sizeof(e.action), "user.create");
        str_fmt(e.target, sizeof(e.target), "user %lld", (long long)u->id);
        e.detail = (char *)"judge account for the embedded judges";
        web_store_audit_add(s, &e, NULL, NULL);
        log_info("web", "created the judge account %s for the embedded judges", WEB_EMBEDDED_JUDGE);
        return 0;
    }
    if (rc < 0)
        return rc;
    if (u->role != WEB_ROLE_JUDGE)
        return err_set(err, ERR_INVALID,
                       "the account '%s' exists and is not a judge account: rename it, or set judges = 0",
                       WEB_EMBEDDED_JUDGE);
    return 0;
}

/* Revokes the tokens earlier starts made, then makes one. */
static int token_renew(struct web_store *s, const struct web_user *u, char token[WEB_TOKEN_HEX + 1],
                       struct err *err)
{
    struct web_api_token_list l = { 0 };
    int64_t id;
    int rc = web_store_apitoken_list(s, u->id, &l, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < l.n && rc == 0; i++)
        if (!strcmp(l.v[i].name, TOKEN_NAME))
            rc = web_store_apitoken_revoke(s, u->id, l.v[i].id, err);
    web_api_token_list_release(&l);
    if (rc < 0)
        return rc;
    return web_store_apitoken_create(s, u->id, TOKEN_NAME, (int64_t)time(NULL), 0, token, &id, err);
}

/* Writes DATA/judge.token through a new file (mode 0600, never following a
 * link) renamed into place; returns its descriptor, open for reading. */
static int token_write(const char *data_dir, const char *token, int *fd_out, struct err *err)
{
    char tmp[PATH_MAX], path[PATH_MAX];
    if (str_fmt(tmp, sizeof(tmp), "%s/.%s.XXXXXX", data_dir, TOKEN_FILE) < 0 ||
        str_fmt(path, sizeof(path), "%s/%s", data_dir, TOKEN_FILE) < 0)
        return err_set(err, ERR_LIMIT, "data folder path is too long");
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot create a file in '%s'", data_dir);
    size_t len = strlen(token);
    int rc = 0;
    if (fchmod(fd, 0600) < 0 || write(fd, token, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
        fsync(fd) < 0)
        rc = err_sys(err, "cannot write '%s'", tmp);
    else if (rename(tmp, path) < 0)
        rc = err_sys(err, "cannot rename '%s' to '%s'", tmp, path);
    if (rc < 0) {
        unlink(tmp);
        close(fd);
        return rc;
    }
    *fd_out = fd;
    return 0;
}

/* ---- where the daemon connects ------------------------------------------------------------------ */

/* srv->listen_name ("0.0.0.0:8080", "[::]:8080", "10.0.0.5:80") as the URL a
 * local client uses: the wildcard addresses become that family's loopback. */
static int server_url(const char *listen_name, char *out, size_t size, struct err *err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char host[INET6_ADDRSTRLEN];
    if (web_listen_parse(listen_name, &ss, &len, err) < 0)
        return ERR_INVALID;
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&ss;
        if (v4->sin_addr.s_addr == htonl(INADDR_ANY))
            v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
        if (str_fmt(out, size, "http://%s:%u", host, ntohs(v4->sin_port)) < 0)
            return err_set(err, ERR_LIMIT, "server URL too long");
    } else {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&ss;
        if (IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr))
            v6->sin6_addr = in6addr_loopback;
        inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
        if (str_fmt(out, size, "http://[%s]:%u", host, ntohs(v6->sin6_port)) < 0)
            return err_set(err, ERR_LIMIT, "server URL too long");
    }
    return 0;
}

static int cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > WEB_JUDGES_MAX ? WEB_JUDGES_MAX : (int)n;
}

/* ---- the supervisor ------------------------------------------------------------------------------ */

struct daemon_args {
    char work_dir[128];             /* this supervisor's own: see work_cleanup */
    char work_arg[160];
    char server[300];
    char workers[32];
    char languages[WEB_CONFIG_PATH_MAX + 16];
    char log_level[32];
    char *argv[12];
};

static volatile sig_atomic_t sup_stop;

static void on_term(int sig)
{
    (void)sig;
    sup_stop = 1;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The daemon: its own process group (a terminal's ^C reaches the server,
 * which then closes the pipe), default signals, the token as fd 3. */
static pid_t daemon_start(struct daemon_args *a)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    setpgid(0, 0);
    /* The supervisor killed outright must not leave a daemon behind. */
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    if (getppid() != parent)
        _exit(1);
    if (dup2(TOKEN_FD, 3) < 0)     /* also closes the pipe's end at 3 */
        _exit(127);
    close(TOKEN_FD);
    unsetenv("CRUCIBLE_DATABASE");      /* a judge talks HTTP, never to the database */
    execv("/proc/self/exe", a->argv);
    fprintf(stderr, "crucible serve: cannot start the judge daemon: %s\n", strerror(errno));
    _exit(127);
}

/* Sends sig to every process whose parent is this one (the daemon and what
 * was orphaned to us). */
static void children_signal(int sig)
{
    pid_t self = getpid();
    DIR *d = opendir("/proc");
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        char path[64], text[512];
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        if (str_fmt(path, sizeof(path), "/proc/%s/stat", de->d_name) < 0)
            continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, text, sizeof(text) - 1);
        close(fd);
        if (n <= 0)
            continue;
        text[n] = '\0';
        /* "PID (COMM) STATE PPID ...": COMM may hold anything, so from the last ')'. */
        const char *p = strrchr(text, ')');
        if (!p || strlen(p) < 5)
            continue;
        char *end;
        long ppid = strtol(p + 4, &end, 10);
        int64_t pid;
        if (end == p + 4 || *end != ' ' || ppid != (long)self)
            continue;
        if (parse_i64(de->d_name, 1, INT32_MAX, &pid) == 0)
            kill((pid_t)pid, sig);
    }
    closedir(d);
}

/* A judge daemon mounts each job's tmpfs in a mount namespace of its own,
 * so the mount dies with it. Should the daemon have failed to make that
 * namespace, a daemon killed while judging leaves the tmpfs mounted below
 * its work folder; the folder is this supervisor's alone, so what is
 * mounted below it is a dead daemon's: it is detached before the next
 * daemon starts, and the folder removed at the end. */
static void work_cleanup(const char *dir, int remove)
{
    char line[4096];
    size_t n = strlen(dir);
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (f) {
        while (fgets(line, sizeof(line), f)) {
            /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": the fifth field. */
            char *p = line;
            for (int i = 0; i < 4 && p; i++)
                p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
            if (!p)
                continue;
            p[strcspn(p, " ")] = '\0';
            if (!strncmp(p, dir, n) && p[n] == '/' && umount2(p, MNT_DETACH) == 0)
                log_info("judges", "detached '%s', left by a judge daemon that died", p);
        }
        fclose(f);
    }
    if (remove)
        web_rmtree(dir);
}

static void reap(pid_t *daemon, int *status_out)
{
    pid_t pid;
    int st;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        if (pid == *daemon) {
            *daemon = -1;
            *status_out = st;
        }
}

__attribute__((noreturn)) static void supervisor_main(struct daemon_args *a)
{
    pid_t daemon = -1;
    int status = 0;
    double started = 0, next_start = 0;
    int delay = RESTART_MIN_S;

    prctl(PR_SET_NAME, "crucible-judges", 0, 0, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    setpgid(0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    while (!sup_stop) {
        double now = mono();
        if (daemon < 0 && now >= next_start) {
            work_cleanup(a->work_dir, 0);
            daemon = daemon_start(a);
            if (daemon < 0)
                log_error("judges", "cannot start the judge daemon: %s", strerror(errno));
            else
                log_info("judges", "judge daemon started (pid %d)", (int)daemon);
            started = now;
            next_start = now + delay;
        }
        struct pollfd pfd = { .fd = CTL_FD, .events = POLLIN };
        if (poll(&pfd, 1, 250) > 0) {
            char c;
            ssize_t n = read(CTL_FD, &c, 1);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                break;                      /* the server is gone */
        }
        pid_t before = daemon;
        reap(&daemon, &status);
        if (before > 0 && daemon < 0) {
            double lived = mono() - started;
            if (lived >= HEALTHY_S)
                delay = RESTART_MIN_S;
            next_start = mono() + delay;
            if (WIFSIGNALED(status))
                log_warn("judges", "the judge daemon (pid %d) was killed by signal %d; restarting in %d s",
                         (int)before, WTERMSIG(status), delay);
            else
                log_warn("judges", "the judge daemon (pid %d) exited with %d; restarting in %d s", (int)before,
                         WEXITSTATUS(status), delay);
            delay = delay * 2 > RESTART_MAX_S ? RESTART_MAX_S : delay * 2;
        }
    }

    /* Stopping: SIGTERM to the daemon's group, then SIGKILL to everything
     * below us, until nothing is left to reap. */
    if (daemon > 0) {
        kill(-daemon, SIGTERM);
        kill(daemon, SIGTERM);
    }
    double deadline = mono() + STOP_GRACE_S;
    while (daemon > 0 && mono() < deadline) {
        reap(&daemon, &status);
        if (daemon > 0)
            usleep(50 * 1000);
    }
    if (daemon > 0)
        kill(-daemon, SIGKILL);
    for (int round = 0; round < 200; round++) {
        children_signal(SIGKILL);
        pid_t pid;
        while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (pid < 0 && errno == ECHILD)
            break;
        usleep(50 * 1000);
    }
    work_cleanup(a->work_dir, 1);
    log_info("judges", "embedded judges stopped");
    _exit(0);
}

/* ---- starting and stopping ------------------------------------------------------------------------- */

int web_embedded_start(struct web_server *srv, struct web_store *s, struct err *err)
{
    const struct web_config *cfg = srv->cfg;
    struct daemon_args a;
    struct web_user u;
    char token[WEB_TOKEN_HEX + 1] = "";
    int token_fd = -1, p[2] = { -1, -1 }, rc;

    if (cfg->judges == 0) {
        log_info("web", "judges = 0: no embedded judges; run `crucible judge daemon` for judging");
        return 0;
    }
    if (geteuid() != 0) {
        log_info("web", "not started as root: no embedded judges (the sandbox needs root); "
                 "run `crucible judge daemon` as root for judging");
        return 0;
    }
    memset(&a, 0, sizeof(a));
    int workers = cfg->judges > 0 ? cfg->judges : cores();
    if ((rc = server_url(srv->listen_name, a.server + 9, sizeof(a.server) - 9, err)) < 0)
        return rc;
    memcpy(a.server, "--server=", 9);
    str_fmt(a.workers, sizeof(a.workers), "--workers=%d", workers);
    str_fmt(a.log_level, sizeof(a.log_level), "--log-level=%s",
            cfg->log_level == LOG_DEBUG ? "debug" : cfg->log_level == LOG_INFO ? "info"
            : cfg->log_level == LOG_WARN ? "warn" : cfg->log_level == LOG_ERROR ? "error" : "off");
    size_t n = 0;
    a.argv[n++] = (char *)"crucible";
    a.argv[n++] = (char *)"judge";
    a.argv[n++] = (char *)"daemon";
    a.argv[n++] = a.server;
    a.argv[n++] = (char *)"--token-file=/proc/self/fd/3";
    a.argv[n++] = a.workers;
    a.argv[n++] = a.log_level;
    a.argv[n++] = a.work_arg;       /* filled in by the supervisor, with its pid */
    if (cfg->languages[0]) {
        str_fmt(a.languages, sizeof(a.languages), "--languages=%s", cfg->languages);
        a.argv[n++] = a.languages;
    }
    a.argv[n] = NULL;

    if ((rc = account_ensure(s, &u, err)) < 0)
        goto out;
    if (u.disabled) {
        log_warn("web", "the judge account %s is disabled: no embedded judges", WEB_EMBEDDED_JUDGE);
        rc = 0;
        goto out;
    }
    if ((rc = token_renew(s, &u, token, err)) < 0 || (rc = token_write(cfg->data_dir, token, &token_fd, err)) < 0)
        goto out;
    if (pipe2(p, O_CLOEXEC) < 0) {
        rc = err_sys(err, "pipe");
        goto out;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        rc = err_sys(err, "cannot fork the judges' supervisor");
        goto out;
    }
    if (pid == 0) {
        /* The supervisor keeps stdio, the pipe's read end as CTL_FD and the
         * token as TOKEN_FD; everything else the server opened (the
         * listening socket, the database) is closed. */
        sodium_memzero(token, sizeof(token));
        close(p[1]);
        int ctl = fcntl(p[0], F_DUPFD_CLOEXEC, 10), tok = fcntl(token_fd, F_DUPFD_CLOEXEC, 10);
        if (ctl < 0 || tok < 0 || dup2(ctl, CTL_FD) < 0 || dup2(tok, TOKEN_FD) < 0)
            _exit(1);
        if (close_range(TOKEN_FD + 1, ~0U, 0) < 0) {
            long max = sysconf(_SC_OPEN_MAX);
            for (long fd = TOKEN_FD + 1; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
                close((int)fd);
        }
        fcntl(CTL_FD, F_SETFD, FD_CLOEXEC);
        str_fmt(a.work_dir, sizeof(a.work_dir), "%s-%d", EMBEDDED_WORK_DIR, (int)getpid());
        str_fmt(a.work_arg, sizeof(a.work_arg), "--work-dir=%s", a.work_dir);
        supervisor_main(&a);
    }
    close(p[0]);
    p[0] = -1;
    sup_pid = pid;
    sup_ctl = p[1];
    p[1] = -1;
    log_info("web", "embedded judges: %d worker(s) judging for %s (supervisor pid %d, account %s)", workers,
             a.server + 9, (int)pid, WEB_EMBEDDED_JUDGE);
    rc = 0;
out:
    sodium_memzero(token, sizeof(token));
    if (token_fd >= 0)
        close(token_fd);
    if (p[0] >= 0)
        close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
    return rc;
}

void web_embedded_stop(void)
{
    if (sup_ctl >= 0) {
        close(sup_ctl);
        sup_ctl = -1;
    }
    if (sup_pid <= 0)
        return;
    /* The supervisor needs at most STOP_GRACE_S and a little. */
    for (int i = 0; i < (STOP_GRACE_S + 5) * 20; i++) {
        pid_t r = waitpid(sup_pid, NULL, WNOHANG);
        if (r == sup_pid || (r < 0 && errno != EINTR))
            break;
        usleep(50 * 1000);
    }
    sup_pid = -1;
}
