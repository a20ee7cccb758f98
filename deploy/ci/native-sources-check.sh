#!/usr/bin/env bash
# Checks the native-executable configuration without a native-image builder (none can be had on CI's machines):
# `./mvnw package -Dnative -Dquarkus.native.sources-only=true` runs every Quarkus build step of a native build and
# writes target/native-sources/ (the runner jar with its native-image configuration, the libraries and
# native-image.args), which a Mandrel/GraalVM builder turns into the executable elsewhere (deploy/native/Containerfile).
# Then this script checks that configuration holds what Rollcall needs at run time:
#   - every model type of the UnboundID SCIM SDK (packages types and messages, with their nested types) and the SDK's
#     Jackson (de)serializers are registered for reflection: the SDK's own mapper reads and writes them;
#   - the SCIM schema documents (scim-schemas/**) and the Flyway migrations are included as resources.
set -euo pipefail
cd "$(dirname "$0")/../.."

./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests

sources=target/native-sources
runner=$(ls "$sources"/*-runner.jar)
[ -s "$sources/native-image.args" ] || { echo "FAILED: no $sources/native-image.args" >&2; exit 1; }
reflect=$(unzip -p "$runner" META-INF/native-image/reflect-config.json)
resources=$(unzip -p "$runner" META-INF/native-image/resource-config.json)
registered=$(grep -o '"name":"[^"]*"' <<<"$reflect" | sed 's/"name":"\(.*\)"/\1/' | sort -u)

sdk=$(ls "$sources"/lib/*scim2-sdk-common*.jar)
required=$( (unzip -Z1 "$sdk" | grep -E '^com/unboundid/scim2/common/(types|messages)/[A-Za-z$]+\.class$'
  unzip -Z1 "$sdk" | grep -E '^com/unboundid/scim2/common/utils/[A-Za-z]+(Serializer|Deserializer)\.class$'
  echo com/unboundid/scim2/common/GenericScimResource.class
  echo com/unboundid/scim2/common/BaseScimResource.class) | sed 's/\.class$//; s#/#.#g' | sort -u)

missing=$(comm -23 <(echo "$required") <(echo "$registered"))
if [ -n "$missing" ]; then
  echo "FAILED: SDK types not registered for reflection (add them to io.rollcall.scim.ScimSdkReflection):" >&2
  echo "$missing" >&2
  exit 1
fi
echo "native config: $(wc -l <<<"$required") SDK types and serializers registered for reflection"

# Resource includes are Java regular expressions, literal ones quoted as \Q...\E.
patterns=$(grep -o '"pattern":"[^"]*"' <<<"$resources" | sed 's/"pattern":"\(.*\)"/\1/; s/\\\\/\\/g')
included() {
  local path=$1 pattern
  while IFS= read -r pattern; do
    if [[ "$pattern" == '\Q'*'\E' ]]; then
      [ "${pattern:2:${#pattern}-4}" = "$path" ] && return 0
    elif [[ "$path" =~ ^${pattern}$ ]]; then
      return 0
    fi
  done <<<"$patterns"
  return 1
}
for resource in $(cd src/main/resources && ls db/migration/*.sql) $(ls scim-schemas/schemas/*.json scim-schemas/resource-types/*.json); do
  included "$resource" || { echo "FAILED: resource $resource is not included in the native image" >&2; exit 1; }
done
echo "native config: SCIM schema documents and Flyway migrations included as resources"
echo "native sources: $(du -sh "$sources" | cut -f1) in $sources; args: $(wc -w <"$sources/native-image.args") words"
