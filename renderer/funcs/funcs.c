/* funcs.c — every function table, in override order. The engine's index
 * over them is renderer/engine/tmpl_fnindex.c. */
#include "renderer/funcs/funcs.h"


/* Later tables override earlier ones: the builtins first, Helm's own last. */
const cv_fnreg *const fn_all_tables[] = {
    tmpl_builtins_table,
    fn_strings_table,
    fn_lists_table,
    fn_dicts_table,
    fn_math_table,
    fn_defaults_table,
    fn_reflect_table,
    fn_encoding_table,
    fn_paths_table,
    fn_url_table,
    fn_random_table,
    fn_crypto_table,
    fn_dates_table,
    fn_semver_table,
    fn_regex_table,
    fn_network_table,
    fn_helm_table,
    NULL,
};
