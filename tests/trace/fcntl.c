/* fcntl.c — the fcntl commands trace decodes (trace/file.c), made on a
 * file of the test's, with good and bad pointers: run under strace and
 * trace by tests/t_trace_file.sh. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int fd = open(argc > 1 ? argv[1] : "/tmp/fcntl-test", O_RDWR | O_CREAT, 0600);
    struct flock l = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 5};
    struct f_owner_ex own = {.type = F_OWNER_PID, .pid = 0};

    fcntl(fd, F_SETLK, &l);
    fcntl(fd, F_GETLK, &l);
    l.l_type = F_WRLCK;
    fcntl(fd, F_OFD_GETLK, &l);
    l.l_pid = 0;
    fcntl(fd, F_OFD_SETLKW, &l);
    fcntl(fd, F_SETLK, (void *)8);              /* a bad pointer: EFAULT, shown as an address */
    fcntl(fd, F_GETLK, (void *)8);
    l.l_type = F_UNLCK;
    l.l_whence = SEEK_END;
    fcntl(fd, F_SETLKW, &l);
    fcntl(fd, F_SETOWN_EX, &own);
    fcntl(fd, F_GETOWN_EX, &own);
    fcntl(fd, F_SETLEASE, F_UNLCK);
    fcntl(fd, F_GETLEASE);
    fcntl(fd, F_NOTIFY, DN_ACCESS | DN_MULTISHOT);
    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL);
    fcntl(fd, F_GET_SEALS);
    fcntl(fd, F_SETPIPE_SZ, 4096);
    fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, O_RDWR | O_APPEND | O_NONBLOCK);
    fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_GETFD);
    fcntl(fd, F_DUPFD_CLOEXEC, 10);
    fcntl(fd, 12345);
    return 0;
}
