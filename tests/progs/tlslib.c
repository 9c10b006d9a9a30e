/* libprogtls.so: dynamic TLS for tls.c (dlopen'ed, so its block is
 * allocated on first access in each thread, not at start-up). */
__thread int lib_int = 1234;
__thread char lib_arr[4096];

/* 1 when this thread's copy has the initial image; then mark it as id's. */
int progs_tls_check(int id)
{
    int ok = lib_int == 1234;
    for (unsigned i = 0; i < sizeof lib_arr; i++)
        ok &= lib_arr[i] == 0;
    lib_int = id;
    lib_arr[0] = (char)id;
    return ok;
}
