/* true.c — the smallest useful exec benchmark subject: exit 0. */
int main(void)
{
    return 0;
}
