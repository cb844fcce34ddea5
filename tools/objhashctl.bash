# SPDX-License-Identifier: GPL-2.0
# bash completion for objhashctl(1); installed as
# $(PREFIX)/share/bash-completion/completions/objhashctl.
# shellcheck disable=SC2207

_objhashctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local global="--device --hex --json --verbose -v --help -h --version"
	local commands="insert get delete purge stats list dump load"

	case $prev in
	--device)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--expect-version|--max-version|--batch)
		return	# a number
		;;
	--prefix)
		return	# a key prefix: the user's
		;;
	esac

	# The command is the first word that is not an option (or --device's
	# argument); after "--" only arguments follow.
	local i cmd="" dashdash=0 nargs=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--) dashdash=1 ;;
		--device|--expect-version|--max-version|--batch|--prefix) ((i++)) ;;
		-*) [ $dashdash = 1 ] && { [ -n "$cmd" ] && ((nargs++)); } ;;
		*)
			if [ -z "$cmd" ]; then cmd=${words[i]}; else ((nargs++)); fi
			;;
		esac
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts=""
	case $cmd in
	insert) opts="--replace --replace-only --expect-version" ;;
	get) opts="--take" ;;
	delete) opts="--expect-version" ;;
	purge) opts="--prefix --max-version --wait" ;;
	stats) opts="" ;;
	list) opts="--keys-only" ;;
	dump) opts="" ;;
	load) opts="--replace --batch" ;;
	*) return ;;
	esac

	if [ $dashdash = 0 ] && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $global" -- "$cur"))
		return
	fi
	# insert KEY VALUE: VALUE may be @PATH (a file) or - (stdin).
	if [ "$cmd" = insert ] && [ $nargs -eq 1 ] && [[ $cur == @* ]]; then
		local f
		COMPREPLY=()
		while IFS= read -r f; do
			COMPREPLY+=("@$f")
		done < <(compgen -f -- "${cur#@}")
		return
	fi
	# dump FILE, load FILE: a file name (or -).
	if { [ "$cmd" = dump ] || [ "$cmd" = load ]; } && [ $nargs -eq 0 ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		return
	fi
	# KEYs are the user's: nothing to offer.
}
complete -F _objhashctl objhashctl
