#!/bin/bash
# sign.sh KDIR MODULE.ko...: sign modules the way the kernel tree KDIR
# signs its own at `make modules_install`, so they load on a kernel with
# CONFIG_MODULE_SIG_FORCE (or module.sig_enforce=1).
#
# Does nothing when KDIR's .config has no CONFIG_MODULE_SIG. The key and
# certificate are the tree's (CONFIG_MODULE_SIG_KEY and
# certs/signing_key.x509) unless KSPLICE_SIGN_KEY and KSPLICE_SIGN_CERT
# name others; a pkcs11: URI works as the key, as with sign-file itself.
# A module that is already signed is left alone, so a rebuild that kept
# the .ko does not stack a second signature on it.
set -euo pipefail

kdir=${1:?usage: sign.sh KDIR MODULE.ko...}
shift
config=$kdir/.config
marker='~Module signature appended~'

say() { echo "ksplice sign: $*" >&2; }
config_value() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$config"; }

[ -f "$config" ] || { say "$kdir has no .config"; exit 2; }
[ "$(config_value CONFIG_MODULE_SIG)" = y ] || exit 0

hash=$(config_value CONFIG_MODULE_SIG_HASH)
key=${KSPLICE_SIGN_KEY:-$(config_value CONFIG_MODULE_SIG_KEY)}
cert=${KSPLICE_SIGN_CERT:-$kdir/certs/signing_key.x509}
# kbuild reads a relative CONFIG_MODULE_SIG_KEY from the top of the tree.
case "$key" in
/*|pkcs11:*) ;;
*) [ -n "${KSPLICE_SIGN_KEY:-}" ] || key=$kdir/$key ;;
esac
signer=$kdir/scripts/sign-file
[ -x "$signer" ] || { say "$signer is missing: build the kernel tree first"; exit 2; }
case "$key" in
pkcs11:*) ;;
*) [ -r "$key" ] || { say "cannot read the signing key $key"; exit 2; } ;;
esac
[ -r "$cert" ] || { say "cannot read the signing certificate $cert"; exit 2; }

for ko in "$@"; do
	# The marker and a newline end a signed module.
	if tail -c $((${#marker} + 1)) "$ko" | cmp -s - <(printf '%s\n' "$marker"); then
		continue
	fi
	"$signer" "$hash" "$key" "$cert" "$ko" || { say "could not sign $ko"; exit 1; }
done
