/* script_server.h — a tiny scripted HTTP server on 127.0.0.1, run in a thread,
 * for the HTTP client tests (kube_http, http_client). Header-only (static). */
#ifndef CAPSTAN_SCRIPT_SERVER_H
#define CAPSTAN_SCRIPT_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The server answers connection i with script[i]; "DROP" closes without a reply. */
struct server {
    int fd;
    int port;
    const char **script;
    int n;
    int served;
    char last_request[4096];
    char requests[8][4096];   /* the first 8 requests */
};

static void *serve(void *arg)
{
    struct server *s = arg;
    for (int i = 0; i < s->n; i++) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            break;
        char buf[4096];
        ssize_t got = 0, r;
        /* read the head (and a small body) */
        while (got < (ssize_t)sizeof buf - 1 && (r = recv(c, buf + got, sizeof buf - 1 - got, 0)) > 0) {
            got += r;
            buf[got] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end) {
                char *cl = strcasestr(buf, "Content-Length:");
                long len = cl ? strtol(cl + 15, NULL, 10) : 0;
                if ((end + 4 - buf) + len <= got)
                    break;
            }
        }
        buf[got > 0 ? got : 0] = '\0';
        memcpy(s->last_request, buf, sizeof buf);
        if (i < 8)
            memcpy(s->requests[i], buf, sizeof buf);
        if (strcmp(s->script[i], "DROP") != 0)
            send(c, s->script[i], strlen(s->script[i]), 0);
        close(c);
        s->served++;
    }
    return NULL;
}

static void start(struct server *s, const char **script, int n, pthread_t *t)
{
    memset(s, 0, sizeof *s);
    s->script = script;
    s->n = n;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &l);
    s->port = ntohs(a.sin_port);
    listen(s->fd, 8);
    pthread_create(t, NULL, serve, s);
}

static void stop(struct server *s, pthread_t t)
{
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(t, NULL);
}

/* A port nothing listens on: bind, learn the port, close. */
static int dead_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

#endif
