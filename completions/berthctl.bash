# bash completion for berthctl(1): verbs, each verb's options, option values, and local image
# names from `berthctl images --format '{{.Repository}}:{{.Tag}}'`.
# tests/auto/cli/tst_completions.cpp checks the lists below against berthctl's --help.

_berthctl_verbs="search tags inspect login logout images pull push tag history rmi prune fsck
save load export import ls cat cp diff du untag delete copy manifest outdated ratelimit"
_berthctl_manifest_verbs="create inspect push rm"
_berthctl_common_options="--format --insecure-registry --hub-url -h --help --help-all"

# The options of a verb ("manifest create" for a sub-verb), besides the common ones.
_berthctl_verb_options()
{
    case $1 in
    search) echo "--official --verified --open-source --sort --limit" ;;
    tags) echo "--registry-api" ;;
    inspect) echo "--platform --all-platforms" ;;
    login) echo "-u --username --password-stdin -p --password --docker-cli
        --allow-plaintext-docker-config --list" ;;
    logout) echo "--docker-cli" ;;
    images) echo "-q --quiet --backend" ;;
    pull) echo "--platform -a --all-platforms --backend" ;;
    push | tag | outdated) echo "--backend" ;;
    history) echo "--no-trunc --backend" ;;
    rmi) echo "-f --force --backend" ;;
    prune) echo "-a --all -f --force --backend" ;;
    fsck) echo "--repair --backend" ;;
    save) echo "-o --output --compress --backend" ;;
    load) echo "-i --input -q --quiet --backend" ;;
    export) echo "-o --output --platform --backend" ;;
    import) echo "-c --change -m --message --platform --backend" ;;
    ls) echo "-R --recursive --layer --backend --platform" ;;
    cat | cp | diff) echo "--backend --platform" ;;
    du) echo "--top --backend --platform" ;;
    delete) echo "--yes" ;;
    copy) echo "-a --all-platforms --platform" ;;
    "manifest create") echo "--amend" ;;
    "manifest push") echo "--purge" ;;
    esac
}

# Local image names. Quick and silent: nothing when no backend answers within
# $BERTHCTL_COMPLETION_TIMEOUT seconds (2 by default).
_berthctl_images()
{
    local ctl=${COMP_WORDS[0]} backend=() i
    [[ $ctl == */* && -x $ctl ]] || ctl=berthctl
    for ((i = 2; i < ${#words[@]} - 1; i++)); do
        case ${words[i]} in
        --backend) backend=(--backend "${words[i + 1]}") ;;
        --backend=*) backend=("${words[i]}") ;;
        esac
    done
    timeout -k 1 "${BERTHCTL_COMPLETION_TIMEOUT:-2}" "$ctl" images "${backend[@]}" \
        --format '{{.Repository}}:{{.Tag}}' 2>/dev/null </dev/null | command grep -v '<none>'
}

# The values of an option; returns 1 when the option takes none.
_berthctl_option_values()
{
    case $1 in
    --backend) COMPREPLY=($(compgen -W "auto docker podman embedded" -- "$cur")) ;;
    --format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
    --sort) COMPREPLY=($(compgen -W "best pulls updated" -- "$cur")) ;;
    --compress) COMPREPLY=($(compgen -W "none gzip zstd xz bzip2" -- "$cur")) ;;
    --platform) COMPREPLY=($(compgen -W "linux/amd64 linux/arm64 linux/arm/v7 linux/arm/v6
        linux/386 linux/ppc64le linux/s390x linux/riscv64" -- "$cur")) ;;
    -o | --output | -i | --input) COMPREPLY=($(compgen -f -- "$cur")) ;;
    --insecure-registry | --hub-url | --limit | -u | --username | -p | --password | -c | \
        --change | -m | --message | --layer | --top) COMPREPLY=() ;;
    *) return 1 ;;
    esac
    return 0
}

_berthctl()
{
    local cur prev words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        # Image names hold ':', which bash splits words at: bash-completion puts them together.
        _get_comp_words_by_ref -n : cur prev words cword
    else
        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
    fi
    COMPREPLY=()
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$_berthctl_verbs --help --version" -- "$cur"))
        return
    fi
    local verb=${words[1]}
    if [[ $verb == manifest ]]; then
        if ((cword == 2)); then
            COMPREPLY=($(compgen -W "$_berthctl_manifest_verbs --help" -- "$cur"))
            return
        fi
        verb="manifest ${words[2]}"
    fi
    _berthctl_option_values "$prev" && return
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_berthctl_verb_options "$verb") $_berthctl_common_options" \
            -- "$cur"))
        return
    fi
    case $verb in
    search | tags | login | logout | images | prune | fsck | load | outdated | ratelimit | \
        "manifest "*) ;;
    import) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *)
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$(_berthctl_images)" -- "$cur"))
        declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
        ;;
    esac
}

complete -F _berthctl berthctl
