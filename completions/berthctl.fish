# fish completion for berthctl(1): verbs, each verb's options, option values, and local image
# names from `berthctl images --format '{{.Repository}}:{{.Tag}}'`.
# tests/auto/cli/tst_completions.cpp checks it against berthctl's --help with `complete -C`.

set -l verbs search tags inspect login logout images pull push tag history rmi prune fsck save \
    load export import ls cat cp diff du untag delete copy manifest outdated ratelimit
set -l image_verbs inspect pull push tag history rmi save export ls cat cp diff du untag delete copy
set -l backend_verbs images pull push tag history rmi prune fsck save load export import ls cat \
    cp diff du outdated
set -l platform_verbs inspect pull export import ls cat cp diff du copy

# Local image names. Quick and silent: nothing when no backend answers within
# $BERTHCTL_COMPLETION_TIMEOUT seconds (2 by default).
function __berthctl_images
    set -l tokens (commandline -opc)
    set -l backend
    set -l i (contains -i -- --backend $tokens)
    and set backend --backend $tokens[(math $i + 1)]
    set -l seconds 2
    set -q BERTHCTL_COMPLETION_TIMEOUT; and set seconds $BERTHCTL_COMPLETION_TIMEOUT
    timeout -k 1 $seconds berthctl images $backend --format '{{.Repository}}:{{.Tag}}' 2>/dev/null </dev/null \
        | string match -v '*<none>*'
end

# Whether the verb (the first word after berthctl) is one of the arguments.
function __berthctl_verb_in
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; and contains -- $tokens[2] $argv
end

function __berthctl_manifest_verb
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 3; and test "$tokens[2]" = manifest; and contains -- $tokens[3] $argv
end

complete -c berthctl -f
complete -c berthctl -n __fish_use_subcommand -l version -d 'Print the version'
complete -c berthctl -n __fish_use_subcommand -a search -d 'Search Docker Hub for images'
complete -c berthctl -n __fish_use_subcommand -a tags -d "List a repository's tags grouped by digest"
complete -c berthctl -n __fish_use_subcommand -a inspect -d "Show an image's manifest, config and history"
complete -c berthctl -n __fish_use_subcommand -a login -d 'Log in to a registry'
complete -c berthctl -n __fish_use_subcommand -a logout -d 'Log out of a registry'
complete -c berthctl -n __fish_use_subcommand -a images -d 'List local images'
complete -c berthctl -n __fish_use_subcommand -a pull -d 'Pull an image from a registry'
complete -c berthctl -n __fish_use_subcommand -a push -d 'Push a local image to a registry'
complete -c berthctl -n __fish_use_subcommand -a tag -d 'Give a local image another name'
complete -c berthctl -n __fish_use_subcommand -a history -d 'Show how a local image was built'
complete -c berthctl -n __fish_use_subcommand -a rmi -d 'Remove local images'
complete -c berthctl -n __fish_use_subcommand -a prune -d 'Remove unused local images'
complete -c berthctl -n __fish_use_subcommand -a fsck -d 'Verify the embedded image store'
complete -c berthctl -n __fish_use_subcommand -a save -d 'Save images to a tar archive'
complete -c berthctl -n __fish_use_subcommand -a load -d 'Load images from a tar archive'
complete -c berthctl -n __fish_use_subcommand -a export -d "Export a container's or an image's filesystem"
complete -c berthctl -n __fish_use_subcommand -a import -d 'Import a filesystem tar archive as an image'
complete -c berthctl -n __fish_use_subcommand -a ls -d 'List the files inside an image'
complete -c berthctl -n __fish_use_subcommand -a cat -d 'Write a file of an image to standard output'
complete -c berthctl -n __fish_use_subcommand -a cp -d 'Copy a file or a folder out of an image'
complete -c berthctl -n __fish_use_subcommand -a diff -d 'Compare two images file by file'
complete -c berthctl -n __fish_use_subcommand -a du -d "Show each layer's size and wasted space"
complete -c berthctl -n __fish_use_subcommand -a untag -d 'Remove one tag from a registry'
complete -c berthctl -n __fish_use_subcommand -a delete -d 'Delete an image from a registry'
complete -c berthctl -n __fish_use_subcommand -a copy -d 'Copy an image between registries'
complete -c berthctl -n __fish_use_subcommand -a manifest -d 'Create, inspect and push multi-platform images'
complete -c berthctl -n __fish_use_subcommand -a outdated -d 'List local images whose tags moved on'
complete -c berthctl -n __fish_use_subcommand -a ratelimit -d 'Show the pull limit of a registry'

# manifest's own verbs
complete -c berthctl -n "__berthctl_verb_in manifest; and test (count (commandline -opc)) -eq 2" \
    -a create -d 'Create a manifest list locally'
complete -c berthctl -n "__berthctl_verb_in manifest; and test (count (commandline -opc)) -eq 2" \
    -a inspect -d 'Show a manifest list'
complete -c berthctl -n "__berthctl_verb_in manifest; and test (count (commandline -opc)) -eq 2" \
    -a push -d 'Push a manifest list to its registry'
complete -c berthctl -n "__berthctl_verb_in manifest; and test (count (commandline -opc)) -eq 2" \
    -a rm -d 'Remove manifest lists kept locally'

# The options every verb takes
set -l any "not __fish_use_subcommand"
complete -c berthctl -n $any -l format -x -a 'text json' -d 'Output format'
complete -c berthctl -n $any -l insecure-registry -x -d 'Allow plain HTTP and unverified TLS'
complete -c berthctl -n $any -l hub-url -x -d 'Docker Hub web API base URL'
complete -c berthctl -n $any -s h -l help -d 'Show the options'
complete -c berthctl -n $any -l help-all -d 'Show the options with Qt\'s'

complete -c berthctl -n "__berthctl_verb_in $backend_verbs" -l backend -x \
    -a 'auto docker podman embedded' -d 'Where images live'
complete -c berthctl -n "__berthctl_verb_in $platform_verbs" -l platform -x \
    -a 'linux/amd64 linux/arm64 linux/arm/v7 linux/arm/v6 linux/386 linux/ppc64le linux/s390x linux/riscv64' \
    -d 'Platform (os/arch[/variant])'
complete -c berthctl -n "__berthctl_verb_in $image_verbs" -a '(__berthctl_images)' -d 'Local image'

# Each verb's own options
complete -c berthctl -n '__berthctl_verb_in search' -l official -d 'Only Docker Official Images'
complete -c berthctl -n '__berthctl_verb_in search' -l verified -d 'Only Verified Publisher images'
complete -c berthctl -n '__berthctl_verb_in search' -l open-source -d 'Only Sponsored Open Source images'
complete -c berthctl -n '__berthctl_verb_in search' -l sort -x -a 'best pulls updated' -d 'Sort order'
complete -c berthctl -n '__berthctl_verb_in search' -l limit -x -d 'At most N results'
complete -c berthctl -n '__berthctl_verb_in tags' -l registry-api -d "Read Docker Hub's tags through the registry API"
complete -c berthctl -n '__berthctl_verb_in inspect' -l all-platforms -d 'Show every platform'
complete -c berthctl -n '__berthctl_verb_in login' -s u -l username -x -d 'User name'
complete -c berthctl -n '__berthctl_verb_in login' -l password-stdin -d 'Read the password from standard input'
complete -c berthctl -n '__berthctl_verb_in login' -s p -l password -x -d 'Refused: use --password-stdin'
complete -c berthctl -n '__berthctl_verb_in login logout' -l docker-cli -d 'Also log the docker CLI in or out'
complete -c berthctl -n '__berthctl_verb_in login' -l allow-plaintext-docker-config -d 'Write the login to config.json as base64'
complete -c berthctl -n '__berthctl_verb_in login' -l list -d 'List the registries Berth has logins for'
complete -c berthctl -n '__berthctl_verb_in images load' -s q -l quiet -d 'Only IDs (images), no progress (load)'
complete -c berthctl -n '__berthctl_verb_in pull copy' -s a -l all-platforms -d 'Every platform'
complete -c berthctl -n '__berthctl_verb_in history' -l no-trunc -d 'Whole IDs and build steps'
complete -c berthctl -n '__berthctl_verb_in rmi prune' -s f -l force -d 'Force'
complete -c berthctl -n '__berthctl_verb_in prune' -s a -l all -d 'Remove every image'
complete -c berthctl -n '__berthctl_verb_in fsck' -l repair -d 'Remove leftover temporary files'
complete -c berthctl -n '__berthctl_verb_in save export' -s o -l output -r -F -d 'Write to a file'
complete -c berthctl -n '__berthctl_verb_in save' -l compress -x -a 'none gzip zstd xz bzip2' -d 'Compression'
complete -c berthctl -n '__berthctl_verb_in load' -s i -l input -r -F -d 'Read from a file'
complete -c berthctl -n '__berthctl_verb_in import' -s c -l change -x -d 'Apply a Dockerfile instruction'
complete -c berthctl -n '__berthctl_verb_in import' -s m -l message -x -d 'A commit message'
complete -c berthctl -n '__berthctl_verb_in import' -F
complete -c berthctl -n '__berthctl_verb_in ls' -s R -l recursive -d 'List the whole subtree'
complete -c berthctl -n '__berthctl_verb_in ls' -l layer -x -d 'What layer N changed'
complete -c berthctl -n '__berthctl_verb_in du' -l top -x -d 'How many of the largest files'
complete -c berthctl -n '__berthctl_verb_in delete' -l yes -d 'Do not ask for confirmation'
complete -c berthctl -n '__berthctl_manifest_verb create' -l amend -d 'Add to the existing list'
complete -c berthctl -n '__berthctl_manifest_verb push' -l purge -d 'Remove the local list once pushed'
