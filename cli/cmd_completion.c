/* cmd_completion.c — `capstan completion bash|zsh|fish|powershell`: scripts that
 * ask `capstan __complete ARGS... WORD` for candidates (cobra's protocol, as
 * helm's scripts do; cli/cmd_complete.c) and apply its directive: 1 error
 * (nothing), 2 no space after the word, 4 no file names when there is no candidate. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char bash_script[] =
    "# bash completion for capstan (source it, or put it in bash-completion's directory)\n"
    "__capstan_complete() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} out directive line\n"
    "    local -a cands=()\n"
    "    out=$(\"${COMP_WORDS[0]}\" __complete \"${COMP_WORDS[@]:1:COMP_CWORD-1}\" \"$cur\" 2>/dev/null) || return\n"
    "    directive=${out##*:}\n"
    "    [[ $directive =~ ^[0-9]+$ ]] || directive=0\n"
    "    (( directive & 1 )) && return\n"
    "    while IFS= read -r line; do\n"
    "        [[ -z $line || $line == :* ]] && continue\n"
    "        line=${line%%$'\\t'*}\n"
    "        [[ $line == \"$cur\"* ]] && cands+=(\"$line\")\n"
    "    done <<<\"$out\"\n"
    "    (( directive & 2 )) && compopt -o nospace 2>/dev/null\n"
    "    if (( ${#cands[@]} == 0 )); then\n"
    "        (( directive & 4 )) || { compopt -o default 2>/dev/null; COMPREPLY=(); }\n"
    "        return\n"
    "    fi\n"
    "    COMPREPLY=(\"${cands[@]}\")\n"
    "}\n"
    "complete -o nosort -F __capstan_complete capstan 2>/dev/null || complete -F __capstan_complete capstan\n";

static const char zsh_script[] =
    "#compdef capstan\n"
    "# zsh completion for capstan (put it in a directory of $fpath as _capstan, or source it\n"
    "# after compinit)\n"
    "_capstan() {\n"
    "    local out directive line\n"
    "    local -a cands\n"
    "    out=$(\"${words[1]}\" __complete \"${(@)words[2,CURRENT-1]}\" \"${words[CURRENT]}\" 2>/dev/null) || return 1\n"
    "    directive=${${(f)out}[-1]#:}\n"
    "    [[ $directive == <-> ]] || directive=0\n"
    "    (( directive & 1 )) && return 1\n"
    "    for line in ${(f)out}; do\n"
    "        [[ $line == :* ]] && continue\n"
    "        if [[ $line == *$'\\t'* ]]; then\n"
    "            cands+=(\"${${line%%$'\\t'*}//:/\\\\:}:${line#*$'\\t'}\")\n"
    "        else\n"
    "            cands+=(\"${line//:/\\\\:}\")\n"
    "        fi\n"
    "    done\n"
    "    if (( ${#cands} )); then\n"
    "        if (( directive & 2 )); then _describe -t capstan capstan cands -S ''; else _describe -t capstan capstan cands; fi\n"
    "        return\n"
    "    fi\n"
    "    (( directive & 4 )) || _files\n"
    "}\n"
    "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _capstan \"$@\"; else compdef _capstan capstan; fi\n";

static const char fish_script[] =
    "# fish completion for capstan (capstan completion fish | source, or save it as\n"
    "# ~/.config/fish/completions/capstan.fish)\n"
    "function __capstan_complete\n"
    "    set -l args (commandline -opc)\n"
    "    set -l cur (commandline -ct)\n"
    "    set -l out ($args[1] __complete $args[2..-1] \"$cur\" 2>/dev/null)\n"
    "    or return\n"
    "    set -l directive (string replace -r '^:' '' -- $out[-1])\n"
    "    string match -qr '^[0-9]+$' -- $directive; or set directive 0\n"
    "    if test (math \"bitand($directive, 1)\") -ne 0\n"
    "        return\n"
    "    end\n"
    "    set -l cands\n"
    "    for line in $out[1..-2]\n"
    "        set -a cands $line\n"
    "    end\n"
    "    if test (count $cands) -eq 0; and test (math \"bitand($directive, 4)\") -eq 0\n"
    "        __fish_complete_path \"$cur\"\n"
    "        return\n"
    "    end\n"
    "    printf '%s\\n' $cands\n"
    "end\n"
    "complete -c capstan -e\n"
    "complete -c capstan -f -a '(__capstan_complete)'\n";

static const char powershell_script[] =
    "# powershell completion for capstan (capstan completion powershell | Out-String | Invoke-Expression)\n"
    "Register-ArgumentCompleter -CommandName 'capstan' -Native -ScriptBlock {\n"
    "    param($WordToComplete, $CommandAst, $CursorPosition)\n"
    "    $words = @($CommandAst.CommandElements | ForEach-Object { $_.ToString() })\n"
    "    $before = @($words | Select-Object -Skip 1)\n"
    "    if ($WordToComplete -ne '') { $before = @($before | Select-Object -SkipLast 1) }\n"
    "    $out = @(& $words[0] __complete @before \"$WordToComplete\" 2>$null)\n"
    "    if ($out.Count -eq 0) { return }\n"
    "    $directive = 0\n"
    "    if ($out[-1] -match '^:(\\d+)$') { $directive = [int]$Matches[1]; $out = @($out | Select-Object -SkipLast 1) }\n"
    "    if ($directive -band 1) { return }\n"
    "    foreach ($line in $out) {\n"
    "        $name, $desc = $line -split \"`t\", 2\n"
    "        if (-not $desc) { $desc = $name }\n"
    "        if ($name -like \"$WordToComplete*\") {\n"
    "            [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterValue', $desc)\n"
    "        }\n"
    "    }\n"
    "}\n";

int cmd_completion(int argc, char **argv)
{
    if (argc < 2) { /* as helm: the help, status 0 */
        fputs(cli_find_command("completion")->usage, stdout);
        return EXIT_OK;
    }
    const char *sh = argv[1];
    const char *script = strcmp(sh, "bash") == 0         ? bash_script
                         : strcmp(sh, "zsh") == 0        ? zsh_script
                         : strcmp(sh, "fish") == 0       ? fish_script
                         : strcmp(sh, "powershell") == 0 ? powershell_script
                                                         : NULL;
    if (!script) { /* helm: an unknown subcommand shows the help, status 0 */
        fputs(cli_find_command("completion")->usage, stdout);
        return EXIT_OK;
    }
    fputs(script, stdout);
    return EXIT_OK;
}
