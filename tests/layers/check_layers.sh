#!/bin/sh
# check_layers.sh LAYERS_FILE INCLUDE_DIR
#
# The dependency direction of liballot's layers (CMakeLists.txt), checked
# on the built objects:
#   - each layer library uses only symbols of itself and of the layers it
#     links (transitively): no call goes up, e.g. the store into the
#     answers;
#   - the CLI and the server call into the layers only through the public
#     API: every symbol they take from a layer is declared in include/allot.
# LAYERS_FILE lines (written by CMake):
#   layer NAME ARCHIVE [LINKED_LAYER ...]
#   client NAME OBJECT_OR_ARCHIVE ...
set -eu
export LC_ALL=C
layers=$1
include=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# symbol -> defining layer
while read -r kind name file rest; do
	[ "$kind" = layer ] || continue
	nm -g --defined-only "$file" 2>/dev/null |
		awk -v l="$name" 'NF == 3 && $2 ~ /[TDBRC]/ { print $3, l }'
done < "$layers" | sort -u > "$tmp/defs"

# the layers each layer may use: itself and everything it links, transitively
closure() {
	seen=" $1 "
	while :; do
		more=$(for x in $seen; do
			awk -v n="$x" '$1 == "layer" && $2 == n { for (i = 4; i <= NF; i++) print $i }' "$layers"
		done | sort -u)
		grown=$seen
		for y in $more; do
			case "$grown" in *" $y "*) ;; *) grown="$grown$y " ;; esac
		done
		[ "$grown" = "$seen" ] && break
		seen=$grown
	done
	echo "$seen"
}

while read -r kind name file rest; do
	[ "$kind" = layer ] || continue
	allowed=$(closure "$name")
	nm -u "$file" 2>/dev/null | awk '{ print $NF }' | sort -u > "$tmp/undef"
	join "$tmp/undef" "$tmp/defs" | while read -r sym owner; do
		case " $allowed " in
		*" $owner "*) ;;
		*) echo "$name uses $sym of $owner, a layer it does not link (a call upwards?)" ;;
		esac
	done >> "$tmp/bad"
done < "$layers"

# Public names: identifiers in include/allot/*.h.
cat "$include"/allot/*.h | tr -c 'A-Za-z0-9_' '\n' | grep '^allot_' | sort -u > "$tmp/public"
while read -r kind name files; do
	[ "$kind" = client ] || continue
	for f in $files; do
		nm -u "$f" 2>/dev/null | awk '{ print $NF }'
	done | sort -u > "$tmp/undef"
	join "$tmp/undef" "$tmp/defs" | while read -r sym owner; do
		[ "$owner" = allot_util ] && continue # lib/util is shared on purpose
		grep -qx "$sym" "$tmp/public" ||
			echo "$name uses $sym of $owner, which is not in include/allot (private)"
	done >> "$tmp/bad"
done < "$layers"

if [ -s "$tmp/bad" ]; then
	sort -u "$tmp/bad"
	fail=1
fi
n=$(grep -c '^layer ' "$layers")
[ "$fail" = 0 ] && echo "layers: $n libraries, every call downwards; CLI and server on the public API"
exit $fail
