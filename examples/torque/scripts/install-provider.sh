#!/usr/bin/env bash
# Torque `pre-tf-init` script: installs the clusteriam provider on the runner
# from a provider mirror, before `terraform init` runs. The mirror is the
# `dist/mirror` directory that `scripts/release` makes, served over HTTPS
# (any static web server or bucket) or mounted into the runner (file://).
#
#   install-provider.sh MIRROR_URL [VERSION]
#
# MIRROR_URL is the directory holding `registry.terraform.io/`; VERSION
# defaults to the newest in the mirror. The archive's SHA-256 is checked
# against the mirror's listing, then the provider is unpacked into the
# runner's implied local mirror, ~/.terraform.d/plugins, under both registry
# hostnames: `terraform init` and `tofu init` find it there with no registry
# access and no CLI configuration. Needs only python3, which Torque's runners
# have.
set -euo pipefail
mirror=${1:?usage: install-provider.sh MIRROR_URL [VERSION]}
exec python3 - "$mirror" "${2:-}" <<'PY'
import hashlib, io, json, os, pathlib, platform, sys, urllib.parse, urllib.request, zipfile

mirror, wanted = sys.argv[1].rstrip("/") + "/", sys.argv[2]
provider = "registry.terraform.io/clusteriam/clusteriam/"
arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
target = f"{platform.system().lower()}_{arch}"


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read()


base = urllib.parse.urljoin(mirror, provider)
versions = json.loads(fetch(base + "index.json"))["versions"]
newest = lambda v: tuple(int(p) if p.isdigit() else -1 for p in v.split("-")[0].split("."))
version = wanted or max(versions, key=newest)
if version not in versions:
    sys.exit(f"error: the mirror {mirror} has no clusteriam {version}; it has {', '.join(sorted(versions))}")
archives = json.loads(fetch(f"{base}{version}.json"))["archives"]
if target not in archives:
    sys.exit(f"error: the mirror has clusteriam {version} for {', '.join(sorted(archives))}, not for this runner ({target})")
listing = archives[target]
archive = fetch(urllib.parse.urljoin(base, listing["url"]))
digest = "zh:" + hashlib.sha256(archive).hexdigest()
if digest not in listing["hashes"]:
    sys.exit(f"error: {listing['url']} from the mirror has SHA-256 {digest[3:]}, which its listing does not name; not installing it")

plugins = pathlib.Path(os.environ.get("TF_PLUGIN_DIR") or pathlib.Path.home() / ".terraform.d" / "plugins")
with zipfile.ZipFile(io.BytesIO(archive)) as z:
    for hostname in ("registry.terraform.io", "registry.opentofu.org"):
        dest = plugins / hostname / "clusteriam" / "clusteriam" / version / target
        dest.mkdir(parents=True, exist_ok=True)
        for name in z.namelist():
            if "/" in name or name.startswith("."):
                sys.exit(f"error: {listing['url']} holds `{name}`, not a provider file; not installing it")
            path = dest / name
            path.write_bytes(z.read(name))
            path.chmod(0o755)
        print(f"installed clusteriam/clusteriam {version} in {dest}")
PY
