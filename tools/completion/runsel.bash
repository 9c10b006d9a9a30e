# bash completion for runsel(1) and selctl(8).  Installed twice, as
# .../bash-completion/completions/runsel and .../selctl (bash-completion
# loads a file by the command's name); each copy defines both.

# Wrapper names are what `runsel --list` prints: the installed images.
_runsel_wrappers()
{
    runsel --list 2>/dev/null
}

_runsel()
{
    local cur prev words cword
    _init_completion -s || return

    # After the program name, complete the program's own arguments.
    local i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --)
            _command_offset $((i + 1))
            return
            ;;
        -w | -o | -b | -e | -s | -S | -U | -X | -p | -y | --config | --exec-file)
            ((i++))
            ;;
        -*) ;;
        *)
            _command_offset $i
            return
            ;;
        esac
    done

    case $prev in
    -w)
        COMPREPLY=($(compgen -W "$(_runsel_wrappers)" -- "$cur"))
        return
        ;;
    -b)
        COMPREPLY=($(compgen -W "auto sud kmod" -- "$cur"))
        return
        ;;
    --placement)
        COMPREPLY=($(compgen -W "inprocess process kernel" -- "$cur"))
        return
        ;;
    -X | --const-print-style)
        COMPREPLY=($(compgen -W "raw abbrev verbose" -- "$cur"))
        return
        ;;
    -S | --summary-sort-by)
        COMPREPLY=($(compgen -W "time min-time max-time avg-time calls errors name nothing" -- "$cur"))
        return
        ;;
    -p | --attach)
        _pids
        return
        ;;
    --config | --exec-file | --output | -o)
        _filedir
        return
        ;;
    -e | -s | -U | --string-limit | --summary-columns | --trace | --status | --signal | --inject | --fault)
        return
        ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '-w -o -b --no-fastpath --config= --placement=
            --exec-file= --dry-run --list --help -f --follow-forks --output=
            -A --output-append-mode -s --string-limit= -e --trace= --status=
            --signal= --inject= --fault= -z --successful-only -Z --failed-only
            -t -r --relative-timestamps -T --syscall-times -y --decode-fds
            -v --no-abbrev -x -X --const-print-style= -q --decode-pids=comm -Y
            -c --summary-only -C --summary -S --summary-sort-by= -U
            --summary-columns= --summary-wall-clock -p --attach=' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    compopt -o filenames
    COMPREPLY=($(compgen -c -- "$cur"))
}

_selctl()
{
    local cur prev words cword
    _init_completion || return

    local cmds="register unregister status check list explain hash add remove compile"
    local i cmd=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -c) ((i++)) ;;
        -*) ;;
        *)
            cmd=${words[i]}
            break
            ;;
        esac
    done

    if [[ $prev == -c || $prev == --loader || $prev == --log ]]; then
        _filedir
        return
    fi
    case $cmd in
    "")
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "-c --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
        fi
        ;;
    register)
        COMPREPLY=($(compgen -W "--loader --global --runtime --userns --full-range --log --print --help" -- "$cur"))
        ;;
    unregister)
        COMPREPLY=($(compgen -W "--global --runtime --help" -- "$cur"))
        ;;
    explain | hash | check)
        _filedir
        ;;
    add)
        # MATCH, then WRAPPER, then key=value options.
        local n=0
        for ((i = i + 1; i < cword; i++)); do
            [[ ${words[i]} != -* ]] && ((n++))
        done
        if ((n == 0)); then
            _filedir
        elif ((n == 1)); then
            COMPREPLY=($(compgen -W "$(_runsel_wrappers)" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "inherit= syscalls= backend= placement= wrapper-hash= log=" -- "$cur"))
            compopt -o nospace
        fi
        ;;
    remove)
        COMPREPLY=($(compgen -W "$(selctl list 2>/dev/null | awk '{print $1}')" -- "$cur"))
        ;;
    esac
}

complete -F _runsel runsel
complete -F _selctl selctl
