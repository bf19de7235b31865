"""Packages a built provider binary the way Terraform, OpenTofu and Torque
runners install providers without the public registry.

    package.py --binary PATH --out DIR [--version V] [--os linux --arch amd64]

writes to DIR:
  terraform-provider-clusteriam_<v>_<os>_<arch>.zip   the release archive
  terraform-provider-clusteriam_<v>_SHA256SUMS        checksums of the archives and the manifest
  terraform-provider-clusteriam_<v>_manifest.json     the registry manifest (protocol 6)
  terraform-registry-manifest.json                    the same, under the name the registry expects
  mirror/<hostname>/clusteriam/clusteriam/            a provider mirror: the archive (filesystem
                                                      mirror, packed layout) plus index.json and
                                                      <v>.json (network mirror protocol)

The mirror holds the provider under both registry hostnames: Terraform reads
`clusteriam/clusteriam` as registry.terraform.io/clusteriam/clusteriam,
OpenTofu as registry.opentofu.org/clusteriam/clusteriam, and a filesystem
mirror is looked up by the full address.
"""

import argparse
import base64
import hashlib
import json
import pathlib
import platform
import re
import shutil
import zipfile

NAME = "terraform-provider-clusteriam"
HOSTNAMES = ["registry.terraform.io", "registry.opentofu.org"]
MANIFEST = {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}


def cargo_version(root):
    text = (root / "Cargo.toml").read_text()
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def host_target():
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    return platform.system().lower(), arch


def h1_hash(zip_path):
    """Terraform's "h1:" hash: of the unpacked files (dirhash Hash1)."""
    lines = []
    with zipfile.ZipFile(zip_path) as archive:
        for name in sorted(archive.namelist()):
            digest = hashlib.sha256(archive.read(name)).hexdigest()
            lines.append(f"{digest}  {name}\n")
    summary = hashlib.sha256("".join(lines).encode()).digest()
    return "h1:" + base64.b64encode(summary).decode()


def add_to_mirror(mirror, archive, version, target):
    """Adds `archive` to one hostname's directory of a filesystem and network mirror."""
    mirror.mkdir(parents=True, exist_ok=True)
    shutil.copy2(archive, mirror / archive.name)
    index = mirror / "index.json"
    versions = json.loads(index.read_text())["versions"] if index.exists() else {}
    versions[version] = {}
    index.write_text(json.dumps({"versions": versions}, indent=2) + "\n")
    listing = mirror / f"{version}.json"
    archives = json.loads(listing.read_text())["archives"] if listing.exists() else {}
    archives[target] = {
        "url": archive.name,
        "hashes": [h1_hash(archive), "zh:" + hashlib.sha256(archive.read_bytes()).hexdigest()],
    }
    listing.write_text(json.dumps({"archives": archives}, indent=2) + "\n")


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    default_os, default_arch = host_target()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--version", default=cargo_version(root))
    parser.add_argument("--os", default=default_os)
    parser.add_argument("--arch", default=default_arch)
    args = parser.parse_args()

    version, target = args.version, f"{args.os}_{args.arch}"
    args.out.mkdir(parents=True, exist_ok=True)
    archive = args.out / f"{NAME}_{version}_{target}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(f"{NAME}_v{version}", date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o755 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, args.binary.read_bytes())

    manifest_text = json.dumps(MANIFEST, indent=2) + "\n"
    manifest = args.out / f"{NAME}_{version}_manifest.json"
    manifest.write_text(manifest_text)
    (args.out / "terraform-registry-manifest.json").write_text(manifest_text)

    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(args.out.glob(f"{NAME}_{version}_*.zip"))]
    sums.append(f"{hashlib.sha256(manifest.read_bytes()).hexdigest()}  {manifest.name}\n")
    (args.out / f"{NAME}_{version}_SHA256SUMS").write_text("".join(sums))

    for hostname in HOSTNAMES:
        add_to_mirror(args.out / "mirror" / hostname / "clusteriam" / "clusteriam", archive, version, target)
    print(f"packaged {NAME} {version} for {target} in {args.out}")


if __name__ == "__main__":
    main()
