# funcs_lib.sh — shared by tests/security/t_funcs_* and t_values_* (sourced
# after lib.sh).

# funcs_chart NAME TEMPLATE — a chart $sec_tmp/NAME with one template.
funcs_chart() {
	mkdir -p "$sec_tmp/$1/templates"
	printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' "$1" >"$sec_tmp/$1/Chart.yaml"
	printf '%s' "$2" >"$sec_tmp/$1/templates/t.yaml"
}

# funcs_render MB SECONDS NAME TEMPLATE [ARGS...] — render TEMPLATE with
# `capstan template` under the limits; the manifest's text after "# Source"
# is in $funcs_out.
funcs_render() {
	local mb=$1 s=$2 name=$3 tpl=$4
	shift 4
	funcs_chart "$name" "$tpl"
	sec_run "$mb" "$s" "$CAPSTAN" template "$sec_tmp/$name" "$@"
	sec_no_crash "$name"
	funcs_out=$(sed -n '/^# Source:/,$p' "$sec_out" | tail -n +2)
}

# funcs_expect WHAT WANT — $funcs_out must be WANT.
funcs_expect() {
	[ "$funcs_out" = "$2" ] || { cat "$sec_err" >&2; sec_fail "$1: got [$funcs_out], helm gives [$2]"; }
	sec_ok "$1"
}
