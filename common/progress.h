// progress: status lines on stderr only, throttled.  On a terminal the line is redrawn with
// '\r'; otherwise at most one line every 2 s (and always the final one, via progress_done).
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_done(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
