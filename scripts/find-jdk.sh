# Sourced by ./cairn and ./run-tests: cairn_find_java_home prints a JDK >= 21's home, or fails.
# Looks at JAVA_HOME, then the java on PATH, then /usr/lib/jvm/* (newest first).

cairn_java_major() {
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  echo "${v:-0}"
}

cairn_find_java_home() {
  local candidates=() home d
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ "$(cairn_java_major "$home/bin/java")" -ge 21 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  echo "cairn: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm/*); install one or set JAVA_HOME" >&2
  return 1
}

# Maven's own libraries call sun.misc.Unsafe, which JDK 24+ warns about on every build; the flag
# that silences it does not exist before JDK 23, so it goes here rather than in .mvn/jvm.config.
cairn_maven_opts() {
  if [ "$(cairn_java_major "$1/bin/java")" -ge 24 ] 2>/dev/null; then
    echo "--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
  else
    echo "${MAVEN_OPTS:-}"
  fi
}
