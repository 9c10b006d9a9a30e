/* net.c — sockets: addresses (strace's sockaddr.c and net.c). */
#include "trace.h"
#include "xlat/address_families.h"

#define AF_UNIX_ 1
#define AF_INET_ 2

static void print_sun_path(struct tcb *t, const unsigned char *sa, size_t n)
{
    size_t plen = 0;

    if (n > 3 && !sa[2]) {             /* abstract: @"name" */
        tprints(t, ", sun_path=@");
        rs_put_quoted(t->o, sa + 3, n - 3);
        return;
    }
    while (2 + plen < n && sa[2 + plen])
        plen++;
    tprints(t, ", sun_path=");
    rs_put_quoted(t->o, sa + 2, plen);
}

void print_sockaddr(struct tcb *t, unsigned long addr, unsigned long len)
{
    unsigned char sa[112];
    size_t n = len < sizeof(sa) ? len : sizeof(sa);

    if (!addr || n < 2 || !umoven(t, addr, sa, n)) {
        printaddr(t, addr);
        return;
    }
    unsigned fam = sa[0] | sa[1] << 8;
    tprints(t, "{sa_family=");
    printxval(t, xlat_address_families, fam, "AF_???");
    if (fam == AF_UNIX_)
        print_sun_path(t, sa, n);
    else if (fam == AF_INET_ && n >= 8)
        tprintf(t, ", sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")",
                (unsigned)(sa[2] << 8 | sa[3]), sa[4], sa[5], sa[6], sa[7]);
    tprints(t, "}");
}
