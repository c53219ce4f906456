// The only C in svclab: ncursesw with the wide-character API switched on, and the
// function-like macros Swift cannot import wrapped as inline functions (DESIGN.md §2).
#ifndef SVCLAB_CNCURSES_SHIM_H
#define SVCLAB_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *svclab_stdscr(void) { return stdscr; }
static inline int svclab_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int svclab_a_bold(void) { return (int)A_BOLD; }
static inline int svclab_a_reverse(void) { return (int)A_REVERSE; }
static inline int svclab_a_underline(void) { return (int)A_UNDERLINE; }
static inline int svclab_a_dim(void) { return (int)A_DIM; }
static inline int svclab_a_normal(void) { return (int)A_NORMAL; }
static inline int svclab_lines(void) { return LINES; }
static inline int svclab_cols(void) { return COLS; }
static inline int svclab_key_resize(void) { return KEY_RESIZE; }
static inline int svclab_key_up(void) { return KEY_UP; }
static inline int svclab_key_down(void) { return KEY_DOWN; }
static inline int svclab_key_left(void) { return KEY_LEFT; }
static inline int svclab_key_right(void) { return KEY_RIGHT; }
static inline int svclab_key_backspace(void) { return KEY_BACKSPACE; }
static inline int svclab_key_enter(void) { return KEY_ENTER; }
static inline int svclab_key_btab(void) { return KEY_BTAB; }
static inline int svclab_key_ppage(void) { return KEY_PPAGE; }
static inline int svclab_key_npage(void) { return KEY_NPAGE; }
static inline int svclab_key_code_yes(void) { return KEY_CODE_YES; }
static inline int svclab_setlocale_all(void) { return setlocale(LC_ALL, "") != 0; }
static inline int svclab_get_wch(wint_t *ch) { return get_wch(ch); }

#endif
