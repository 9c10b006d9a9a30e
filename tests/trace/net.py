# net.py PORT — sockets from Python for tests/t_trace_net.sh: a TCP and a
# UDP exchange on loopback (v4 and v6), descriptors passed over a unix
# socketpair, options set and read back.  Fixed ports, reset connections
# (SO_LINGER 0) and no name lookups keep two runs identical.
import os, socket, struct, sys

port = int(sys.argv[1])
linger0 = struct.pack('ii', 1, 0)

a, b = socket.socketpair()
r, w = os.pipe()
socket.send_fds(a, [b'fds'], [r, w])
msg, fds, flags, addr = socket.recv_fds(b, 16, 4)
for fd in fds:
    os.close(fd)
a.sendmsg([b'one', b'two'])
b.recvmsg(16)
a.close()
b.close()

for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    cli = socket.socket(fam, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cli.bind((host, port + 1))
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cli.connect((host, port))
    con, peer = srv.accept()
    cli.sendall(b'ping')
    con.recv(16)
    con.send(b'pong')
    cli.recv(16)
    cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    cli.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    cli.getsockname()
    cli.getpeername()
    for s in (cli, con):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger0)
        s.close()
    srv.close()
    port += 2

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(('127.0.0.1', port))
u.sendto(b'dgram', ('127.0.0.1', port))
u.recvfrom(64)
u.close()
