/* Command-line options: forms, operands that start with '-', and the
 * mistakes that are usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clients/args.h"

#define ALL (OPT_COL | OPT_CSV | OPT_WHERE | OPT_TABLE | OPT_FORMAT | \
             OPT_WITH_INPUT | OPT_SOCKET | OPT_LOCAL)

static char msg[256];

static int parse(cli_args *a, unsigned allowed, size_t max_operands,
                 const char *const *argv, int argc)
{
    return args_parse(a, "eval", allowed, max_operands, argc, (char **)argv, msg,
                      sizeof msg);
}

static void long_options_take_values_both_ways(void **state)
{
    (void)state;
    const char *argv[] = {"a*b", "--col", "a=1,2", "--col=b=3,4", "--where=a > 1",
                          "--format", "csv", "--with-input", "--socket", "/tmp/s"};
    cli_args a;
    assert_int_equal(parse(&a, ALL, 1, argv, 10), 0);
    assert_int_equal(a.noperands, 1);
    assert_string_equal(a.operands[0], "a*b");
    assert_int_equal(a.ncols, 2);
    assert_string_equal(a.cols[0], "a=1,2");
    assert_string_equal(a.cols[1], "b=3,4");
    assert_string_equal(a.where, "a > 1");
    assert_int_equal(a.format, FORMAT_CSV);
    assert_int_equal(a.format_given, 1);
    assert_int_equal(a.with_input, 1);
    assert_string_equal(a.socket, "/tmp/s");
    args_free(&a);
}

static void single_dash_arguments_are_operands(void **state)
{
    (void)state;
    const char *argv[] = {"-a * 2", "--csv", "-"};
    cli_args a;
    assert_int_equal(parse(&a, ALL, 1, argv, 3), 0);
    assert_string_equal(a.operands[0], "-a * 2");
    assert_string_equal(a.csv, "-");
    args_free(&a);
}

static void double_dash_ends_the_options(void **state)
{
    (void)state;
    const char *argv[] = {"--local", "--", "--x"};
    cli_args a;
    assert_int_equal(parse(&a, ALL, 1, argv, 3), 0);
    assert_int_equal(a.local, 1);
    assert_string_equal(a.operands[0], "--x");
    args_free(&a);
}

static void help_is_recognised_anywhere(void **state)
{
    (void)state;
    const char *argv[] = {"x", "-h"};
    cli_args a;
    assert_int_equal(parse(&a, ALL, 1, argv, 2), 0);
    assert_int_equal(a.help, 1);
    args_free(&a);
    const char *argv2[] = {"--help"};
    assert_int_equal(parse(&a, 0, 0, argv2, 1), 0);
    assert_int_equal(a.help, 1);
    args_free(&a);
}

static void mistakes_are_usage_errors(void **state)
{
    (void)state;
    const struct {
        const char *argv[3];
        int argc;
        unsigned allowed;
        const char *message;
    } cases[] = {
        {{"--nope"}, 1, ALL, "unknown option --nope"},
        {{"--where", "x"}, 2, OPT_SOCKET, "'jitcalc eval' takes no option --where"},
        {{"--csv"}, 1, ALL, "--csv needs a value"},
        {{"--local=yes"}, 1, ALL, "--local takes no value"},
        {{"--csv", "a", "--csv=b"}, 3, ALL, "--csv is given twice"},
        {{"--format", "xml"}, 2, ALL, "--format wants lines, csv or json (got 'xml')"},
        {{"--local", "--socket=/s"}, 2, ALL, "--socket and --local exclude each other"},
        {{"a", "b"}, 2, ALL, "unexpected argument 'b'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_args a;
        assert_int_equal(parse(&a, cases[i].allowed, 1, cases[i].argv, cases[i].argc), -1);
        assert_string_equal(msg, cases[i].message);
        args_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_options_take_values_both_ways),
        cmocka_unit_test(single_dash_arguments_are_operands),
        cmocka_unit_test(double_dash_ends_the_options),
        cmocka_unit_test(help_is_recognised_anywhere),
        cmocka_unit_test(mistakes_are_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
