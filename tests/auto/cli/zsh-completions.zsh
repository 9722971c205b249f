# zsh -f zsh-completions.zsh FPATH_DIR LINE: the completions zsh offers for LINE, one a line.
# An interactive zsh on a pseudo-terminal (zpty) with compinit and FPATH_DIR first in $fpath gets
# LINE and a Tab; compadd, wrapped, prints what it is given; a NUL line before and after the
# completion frames the answer. tst_completions drives _berthctl with it.
zmodload zsh/zpty
zpty z zsh -f -i
local line
zpty -w z "fpath=(${(q)1} \$fpath)"
# compinit's dump in $HOME: scanning $fpath afresh takes seconds each time.
zpty -w z 'PROMPT=; autoload -U compinit; compinit -u -d $HOME/.zcompdump-berth-test'
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w z 'bindkey "^I" complete-word'
zpty -w z 'null-line() { echo -E - $'"'"'\0'"'"' }; compprefuncs=(null-line); comppostfuncs=(null-line exit)'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -l -- $__hits }'
zpty -w z "$2"$'\t'
integer tog=0
while zpty -r z line; do
  line=${line%$'\r'}
  if [[ $line == *$'\0'* ]]; then
    (( tog++ )) && break || continue
  fi
  (( tog )) && print -r -- $line
done
zpty -d z
