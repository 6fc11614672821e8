// testlib: what every Check test file of the suite shares.
//
// Each tests/test_<area>.c defines `Suite *make_suite(void)` and ends with TEST_MAIN().  The
// runner (scripts/run-tests) runs every test binary and prints the closing line
// "N passed, N failed".  A tolerance always comes with its reason, in a comment or message.
#ifndef SIM_TESTLIB_H
#define SIM_TESTLIB_H
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// |a - b| <= tol * max(|b|, floor): relative with an absolute floor.
#define ck_assert_rel(a, b, tol)                                                                      \
    do {                                                                                              \
        double ca_ = (a), cb_ = (b), ct_ = (tol);                                                     \
        double cs_ = fabs(cb_) > 1e-300 ? fabs(cb_) : 1e-300;                                         \
        ck_assert_msg(fabs(ca_ - cb_) <= ct_ * cs_, "%s = %.17g vs %s = %.17g: rel err %.3g > %.3g", #a, \
                      ca_, #b, cb_, fabs(ca_ - cb_) / cs_, ct_);                                      \
    } while (0)
#define ck_assert_abs(a, b, tol)                                                                     \
    do {                                                                                             \
        double ca_ = (a), cb_ = (b), ct_ = (tol);                                                    \
        ck_assert_msg(fabs(ca_ - cb_) <= ct_, "%s = %.17g vs %s = %.17g: abs err %.3g > %.3g", #a, ca_, \
                      #b, cb_, fabs(ca_ - cb_), ct_);                                                \
    } while (0)

Suite *make_suite(void);

#define TEST_MAIN()                                                      \
    int main(void) {                                                     \
        SRunner *sr = srunner_create(make_suite());                      \
        srunner_run_all(sr, CK_NORMAL);                                  \
        int failed = srunner_ntests_failed(sr);                          \
        int run = srunner_ntests_run(sr);                                \
        srunner_free(sr);                                                \
        printf("TESTS %d %d\n", run - failed, failed);                   \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                     \
    }
#endif
