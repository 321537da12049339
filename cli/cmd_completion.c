/* cmd_completion.c — `capstan completion bash|zsh|fish|powershell`: scripts that
 * ask `capstan __complete ARGS... WORD` for candidates (cobra's protocol, as
 * helm's scripts do; cli/cmd_complete.c) and apply its directive: 1 error
 * (nothing), 2 no space after the word, 4 no file names when there is no candidate
 * (powershell's also 8/16, file filters left to PowerShell, and 32, keep the order).
 * --no-descriptions: the bash, zsh and fish scripts ask `capstan __completeNoDesc`
 * instead (helm's), powershell's leaves the descriptions out of its tooltips. */
#include "cli.h"
#include "flags.h"

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

/* powershell: the script in two parts around the descriptions switch ($true, or
 * $false with --no-descriptions) */
static const char powershell_head[] =
    "# powershell completion for capstan. Load it in this session with\n"
    "#   capstan completion powershell | Out-String | Invoke-Expression\n"
    "# or add that line to your profile ($PROFILE) for every session.\n"
    "#\n"
    "# It asks capstan itself: `capstan __complete ARGS... WORD` prints the candidates for\n"
    "# WORD, one a line as VALUE or VALUE<tab>DESCRIPTION, then :DIRECTIVE, a sum of\n"
    "# 1 (an error: offer nothing), 2 (no space after the value), 4 (no file names when\n"
    "# there is no candidate), 8 and 16 (file names of some extensions, or folders:\n"
    "# PowerShell's own file name completion is left to do it) and 32 (keep capstan's order).\n"
    "# $env:CAPSTAN_COMPLETION_LOG names a file that gets a trace of each completion.\n"
    "\n"
    "function __capstan_log([string]$msg) {\n"
    "    if ($env:CAPSTAN_COMPLETION_LOG) { $msg | Out-File -Append -FilePath $env:CAPSTAN_COMPLETION_LOG }\n"
    "}\n"
    "\n"
    "# A value as PowerShell must read it back: its special characters behind a backtick.\n"
    "function __capstan_escape([string]$value) {\n"
    "    return ($value -replace '[\\s#@$;,''{}()\"`|<>&]', '`$0')\n"
    "}\n"
    "\n"
    "Register-ArgumentCompleter -Native -CommandName 'capstan' -ScriptBlock {\n"
    "    param($wordToComplete, $commandAst, $cursorPosition)\n"
    "    $descriptions = ";

static const char powershell_tail[] =
    "\n"
    "\n"
    "    # The words of the command line before the cursor, as their values; the last one\n"
    "    # is the word being completed unless the cursor stands after a space.\n"
    "    $words = @()\n"
    "    foreach ($element in $commandAst.CommandElements) {\n"
    "        if ($element.Extent.StartOffset -ge $cursorPosition) { break }\n"
    "        if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst]) {\n"
    "            $words += $element.Value\n"
    "        } else {\n"
    "            $words += $element.Extent.Text\n"
    "        }\n"
    "    }\n"
    "    $program = $words[0]\n"
    "    $before = @()\n"
    "    if ($words.Count -gt 1) { $before = $words[1..($words.Count - 1)] }\n"
    "    $word = ''\n"
    "    if ($wordToComplete -ne '' -and $before.Count -gt 0) {\n"
    "        $word = $before[-1]\n"
    "        if ($before.Count -gt 1) { $before = $before[0..($before.Count - 2)] } else { $before = @() }\n"
    "    }\n"
    "\n"
    "    # --flag=VALUE: capstan completes VALUE; the flag goes back in front of each result\n"
    "    $flagPrefix = ''\n"
    "    $typed = $word\n"
    "    if ($word -like '--*=*') {\n"
    "        $cut = $word.IndexOf('=') + 1\n"
    "        $flagPrefix = $word.Substring(0, $cut)\n"
    "        $typed = $word.Substring($cut)\n"
    "    }\n"
    "\n"
    "    # An empty word must reach capstan as an argument: PowerShell before 7.3 (and its\n"
    "    # Legacy argument passing) drops empty strings, so it gets two quotes to pass on.\n"
    "    $request = $word\n"
    "    if ($request -eq '') {\n"
    "        $legacy = $PSVersionTable.PSVersion -lt [version]'7.3.0' -or $PSNativeCommandArgumentPassing -eq 'Legacy'\n"
    "        if ($legacy) { $request = '\"\"' }\n"
    "    }\n"
    "    __capstan_log \"capstan completion: $program __complete $($before -join ' ') [$request]\"\n"
    "    $lines = @(& $program __complete @before $request 2>$null)\n"
    "    if ($lines.Count -eq 0) { return }\n"
    "\n"
    "    $directive = 0\n"
    "    if ($lines[-1] -match '^:(\\d+)$') {\n"
    "        $directive = [int]$Matches[1]\n"
    "        if ($lines.Count -gt 1) { $lines = $lines[0..($lines.Count - 2)] } else { $lines = @() }\n"
    "    }\n"
    "    __capstan_log \"directive $directive, $($lines.Count) line(s)\"\n"
    "    if ($directive -band 1) { return }\n"
    "    if (($directive -band 8) -or ($directive -band 16)) { return }\n"
    "\n"
    "    $found = @()\n"
    "    foreach ($line in $lines) {\n"
    "        if ($line -eq '') { continue }\n"
    "        $parts = $line -split \"`t\", 2\n"
    "        if ($parts[0] -notlike \"$typed*\") { continue }\n"
    "        $tip = $parts[0]\n"
    "        if ($descriptions -and $parts.Count -gt 1 -and $parts[1] -ne '') { $tip = $parts[1] }\n"
    "        $found += [pscustomobject]@{ Value = $parts[0]; Tip = $tip }\n"
    "    }\n"
    "    if (-not ($directive -band 32)) { $found = @($found | Sort-Object -Property Value) }\n"
    "\n"
    "    if ($found.Count -eq 0) {\n"
    "        # nothing to offer: an empty result keeps PowerShell from offering file names\n"
    "        if ($directive -band 4) { return '' }\n"
    "        return\n"
    "    }\n"
    "    $after = ' '\n"
    "    if ($directive -band 2) { $after = '' }\n"
    "    foreach ($candidate in $found) {\n"
    "        $text = $flagPrefix + (__capstan_escape $candidate.Value)\n"
    "        if ($found.Count -eq 1) { $text += $after }\n"
    "        [System.Management.Automation.CompletionResult]::new($text, $candidate.Value, 'ParameterValue', $candidate.Tip)\n"
    "    }\n"
    "}\n";

/* The script, its requests made to __completeNoDesc when descriptions are off. */
static void print_script(const char *script, bool descriptions)
{
    static const char request[] = " __complete ";
    const char *at;
    while (!descriptions && (at = strstr(script, request))) {
        printf("%.*s __completeNoDesc ", (int)(at - script), script);
        script = at + strlen(request);
    }
    fputs(script, stdout);
}

int cmd_completion(int argc, char **argv)
{
    if (argc < 2) { /* as helm: the help, status 0 */
        fputs(cli_find_command("completion")->usage, stdout);
        return EXIT_OK;
    }
    const char *sh = argv[1];
    bool descriptions = true;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--no-descriptions") == 0 || strcmp(argv[i], "--no-descriptions=true") == 0) {
            descriptions = false;
        } else if (strcmp(argv[i], "--no-descriptions=false") != 0) {
            flags_unknown(argv[i]);
            return EXIT_ERR;
        }
    }
    if (strcmp(sh, "powershell") == 0) {
        printf("%s%s%s", powershell_head, descriptions ? "$true" : "$false", powershell_tail);
        return EXIT_OK;
    }
    const char *script = strcmp(sh, "bash") == 0   ? bash_script
                         : strcmp(sh, "zsh") == 0  ? zsh_script
                         : strcmp(sh, "fish") == 0 ? fish_script
                                                   : NULL;
    if (!script) { /* helm: an unknown subcommand shows the help, status 0 */
        fputs(cli_find_command("completion")->usage, stdout);
        return EXIT_OK;
    }
    print_script(script, descriptions);
    return EXIT_OK;
}
