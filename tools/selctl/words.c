/* words.c — what `selctl add` and `remove` may write into the list.  The
 * list is line-oriented: an argument holding a newline would become a
 * line of its own (`add /usr/bin/curl trace $'log=/x\n!/usr/bin/...'` wrote
 * an exclusion into the list), a tab or space a word boundary, a `#` the
 * start of a comment.  Each argument must be one word of one line, so any
 * of those, and every other control character (below 0x20, and 0x7f), is
 * refused before anything is read or written: exit 2, naming the
 * argument. */
#include <stdio.h>
#include "selctl.h"

/* The byte that makes arg unfit for the list, or 0. */
static int unfit_byte(const char *arg)
{
    for (const unsigned char *p = (const unsigned char *)arg; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == ' ' || *p == '#')
            return *p;
    return 0;
}

/* arg as it would look quoted by a shell's $'...', so the offending byte
 * shows in the message instead of acting on the terminal. */
static void print_escaped(FILE *f, const char *arg)
{
    for (const unsigned char *p = (const unsigned char *)arg; *p; p++) {
        if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p == '\\' || *p == '\'')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
}

static const char *role(int i)
{
    return i == 0 ? "MATCH" : i == 1 ? "WRAPPER" : "option";
}

int check_words(const char *cmd, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int c = unfit_byte(argv[i]);
        if (!c)
            continue;
        fprintf(stderr, "selctl: %s: argument %d (%s $'", cmd, i + 1, role(i));
        print_escaped(stderr, argv[i]);
        if (c == ' ' || c == '#')
            fprintf(stderr, "') contains %s, which the list cannot hold inside one word; "
                    "nothing written\n", c == ' ' ? "a space" : "'#'");
        else
            fprintf(stderr, "') contains a control character (0x%02x); nothing written\n", c);
        return EXIT_USAGE;
    }
    return 0;
}
