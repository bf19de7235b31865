"""The benchmark behind BENCHMARKS.md. Run it through `scripts/bench`, which
installs and builds what it needs; this file only measures and reports.

Five parts, one run, one emulator (moto's server on a free loopback port):
  1. footprint: binary size, exec-to-handshake time, RSS after the handshake,
     peak RSS while Terraform plans 500 resources, GetProviderSchema latency;
  2. scale: plan, apply, re-plan, destroy of N mixed resources next to N of
     Terraform's built-in terraform_data;
  3. AWS calls per resource type and phase, counted at the emulator with
     moto's request recorder, next to the documented minimum;
  4. the documented AWS CLI steps of each platform against `terraform apply`;
  5. throttled (only with `--only throttled`): apply, refresh and no-op plan
     of N mixed resources through a proxy that throttles like IAM, STS and
     EC2 do (per-account token buckets, `Throttling: Rate exceeded`).
     `BENCH_KEEP_LOGS=DIR` keeps each phase's provider DEBUG log there.
     `--populate ROLES` fills the account with other roles first; the proxy
     pages GetAccountAuthorizationDetails as IAM does (the emulator does not).
  6. policy (only with `--only policy`): the policy checks (issue 30): the
     binary's growth over BENCH_BASELINE_PROVIDER (a build without them),
     `cargo bench --bench policy_checks` (catalogue first use, action lookup,
     the check of a 10,000-character policy), and the quick-start's plan with
     each build, in pairs (A B A B ...), as it is and with a Torque role
     carrying a 10,000-character policy.

Targets are checked and printed PASS/MISS; nothing fails on a MISS.
"""

import argparse
import base64
import http.client
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
# BENCH_PROVIDER: another build to measure (e.g. the one before a fix).
PROVIDER = Path(os.environ.get("BENCH_PROVIDER", ROOT / "target/release/terraform-provider-clusteriam")).resolve()
# BENCH_BASELINE_PROVIDER: the build part 6 compares with (one without the change).
BASELINE = os.environ.get("BENCH_BASELINE_PROVIDER")
TF = os.environ.get("TF_BIN", "terraform")
AWS_CLI = ROOT / ".venv-bench/bin/aws"
MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's fixed account
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The issuer in rendered IRSA trust documents, replaced by the real one.
ISSUER_PLACEHOLDER = "oidc.eks.us-east-1.amazonaws.com/id/PLACEHOLDER"

TARGETS = []  # (what, measured, target, passed)


def target(what, measured, limit, passed):
    TARGETS.append((what, measured, limit, passed))


def log(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


# --- processes --------------------------------------------------------------


def proc_status(pid, field):
    """A /proc/<pid>/status field in kB (VmRSS, VmHWM), or None when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_cpu(pid):
    """User + system CPU seconds of a process (all its threads)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except OSError:
        return None


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


class PluginSampler(threading.Thread):
    """Watches the provider processes Terraform starts (its direct children
    named terraform-provider-clusteriam) while a command runs: the highest
    VmHWM seen and the last CPU time read of each. A process is sampled every
    20 ms, so the CPU of its last few milliseconds can be missed."""

    def __init__(self, parent_pid):
        super().__init__(daemon=True)
        self.parent = parent_pid
        self.stop = threading.Event()
        self.hwm_kb = {}
        self.cpu = {}

    def run(self):
        while not self.stop.is_set():
            for pid in children(self.parent):
                try:
                    with open(f"/proc/{pid}/comm") as f:
                        if not f.read().startswith("terraform-provi"):
                            continue
                except OSError:
                    continue
                hwm = proc_status(pid, "VmHWM")
                cpu = proc_cpu(pid)
                if hwm is not None:
                    self.hwm_kb[pid] = max(hwm, self.hwm_kb.get(pid, 0))
                if cpu is not None:
                    self.cpu[pid] = cpu
            self.stop.wait(0.02)

    def finish(self):
        self.stop.set()
        self.join()
        return (max(self.hwm_kb.values(), default=0) / 1024, sum(self.cpu.values()))


# --- the emulator -----------------------------------------------------------


class Emulator:
    def __init__(self, workdir):
        self.recording = Path(workdir) / "moto-recording.jsonl"
        env = dict(os.environ, MOTO_RECORDER_FILEPATH=str(self.recording))
        log_path = Path(workdir) / "moto.log"
        self.log = open(log_path, "w")
        # moto picks its port (-p 0) and names it in its log: a port chosen
        # here and handed over could be taken in between.
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", "0"],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            env=env,
        )
        for _ in range(600):
            found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", log_path.read_text())
            if found:
                self.url = found[1]
                try:
                    urllib.request.urlopen(self.url + "/moto-api/", timeout=1)
                    return
                except OSError:
                    pass
            time.sleep(0.1)
        sys.exit("the AWS emulator did not start:\n" + log_path.read_text())

    def post(self, path):
        req = urllib.request.Request(self.url + path, data=b"", method="POST")
        return urllib.request.urlopen(req, timeout=60).read()

    def reset(self):
        self.post("/moto-api/reset")

    def cpu(self):
        return proc_cpu(self.proc.pid)

    def start_recording(self):
        self.post("/moto-api/recorder/reset-recording")
        self.post("/moto-api/recorder/start-recording")

    def stop_recording(self):
        """The operations called since start_recording, as (service, operation)."""
        self.post("/moto-api/recorder/stop-recording")
        calls = []
        for line in self.recording.read_text().splitlines():
            calls.append(classify(json.loads(line)))
        return calls

    def client(self, service, **kw):
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            **kw,
        )

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


def classify(entry):
    """(service, operation) of one recorded request. Only the signing scope
    of the Authorization header is read (never the signature)."""
    auth = entry["headers"].get("Authorization", "")
    service = "?"
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            service = scope[3]
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    action = urllib.parse.parse_qs(body).get("Action", [None])[0]
    if action is None:
        # REST protocols (EKS): the method and path name the operation.
        path = urllib.parse.urlparse(entry["url"]).path
        action = f"{entry['method']} {path}"
        if service == "eks" and entry["method"] == "GET" and path.startswith("/clusters/"):
            action = "DescribeCluster"
    return service, action


def is_write(operation):
    return not operation.startswith(("Get", "List", "Describe"))


# --- Terraform workspaces ---------------------------------------------------


class Workspace:
    """A directory Terraform runs in, wired to the release build through
    dev_overrides (no `terraform init`) and to the emulator through the
    standard AWS_* variables."""

    def __init__(self, parent, name, emulator, provider=None):
        self.dir = Path(parent) / name
        self.dir.mkdir(parents=True)
        rc = self.dir / "terraform.rc"
        rc.write_text(
            'provider_installation {\n  dev_overrides {\n'
            f'    "clusteriam/clusteriam" = "{(provider or PROVIDER).parent}"\n  }}\n  direct {{}}\n}}\n'
        )
        self.env = dict(
            os.environ,
            TF_CLI_CONFIG_FILE=str(rc),
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_ENDPOINT_URL=emulator.url,
        )
        for var in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CLUSTERIAM"):
            self.env.pop(var, None)

    def write(self, text, name="main.tf"):
        (self.dir / name).write_text(text)

    def run(self, *args, ok=(0,), emulator=None):
        """Runs terraform; returns wall seconds, the provider's peak RSS (MB)
        and CPU seconds, and the emulator's CPU seconds."""
        cmd = [TF, *args]
        if args[0] in ("plan", "apply", "destroy"):
            cmd += ["-no-color", "-input=false"]
        moto_before = emulator.cpu() if emulator else 0
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=self.dir, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        sampler = PluginSampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        wall = time.perf_counter() - start
        hwm, cpu = sampler.finish()
        if proc.returncode not in ok:
            sys.exit(f"terraform {' '.join(args)} failed ({proc.returncode}) in {self.dir}:\n"
                     + out.decode(errors="replace")[-4000:])
        moto = (emulator.cpu() - moto_before) if emulator else 0
        return {"wall": wall, "rss_mb": hwm, "provider_cpu": cpu, "moto_cpu": moto,
                "code": proc.returncode}


PROVIDER_BLOCK = """
terraform {
  required_providers {
    clusteriam = { source = "clusteriam/clusteriam" }
  }
}

provider "clusteriam" {
  region = "us-east-1"
}
"""


# --- 1. footprint -----------------------------------------------------------


def client_cert_pem():
    """A certificate shaped like the one Terraform passes in PLUGIN_CLIENT_CERT."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA512())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def handshake_once(cmd, env):
    """Seconds from exec to the first stdout line, and RSS (kB) right after."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    rss = proc_status(proc.pid, "VmRSS")
    proc.kill()
    proc.wait()
    proc.stdout.close()
    return elapsed, rss, line


def footprint(args, work, emulator):
    log("footprint: binary size, handshake, RSS, GetProviderSchema")
    result = {"size_mb": PROVIDER.stat().st_size / 1e6}
    env = dict(
        os.environ,
        TF_PLUGIN_MAGIC_COOKIE=MAGIC_COOKIE,
        PLUGIN_PROTOCOL_VERSIONS="6",
        PLUGIN_CLIENT_CERT=client_cert_pem(),
        # The plugin makes its private socket directory here; a killed
        # plugin can't remove it, and the bench kills 200.
        PLUGIN_UNIX_SOCKET_DIR=str(work),
    )
    for var in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CLUSTERIAM"):
        env.pop(var, None)
    times, rss = [], []
    for _ in range(args.starts):
        t, r, line = handshake_once([str(PROVIDER)], env)
        if not line.startswith(b"1|6|unix|" + str(work).encode()):
            sys.exit(f"unexpected handshake line: {line!r}")
        times.append(t)
        rss.append(r)
    # The floor of this measurement: starting a process and reading a line.
    floor = [handshake_once(["/bin/echo", "x"], env)[0] for _ in range(args.starts)]
    result.update(
        handshake_ms=median(times) * 1e3,
        handshake_p90_ms=sorted(times)[int(len(times) * 0.9)] * 1e3,
        spawn_floor_ms=median(floor) * 1e3,
        rss_handshake_mb=median(rss) / 1024,
        starts=args.starts,
    )

    # GetProviderSchema, as Terraform sees it: `terraform providers schema
    # -json` with this provider, minus the same command with no provider
    # to start (only the built-in terraform_data). The difference is the
    # provider's start, handshake, GetProviderSchema and shutdown.
    ours = Workspace(work, "schema-ours", emulator)
    ours.write(PROVIDER_BLOCK + '\nresource "clusteriam_eks_connector_agent_role" "x" {}\n')
    bare = Workspace(work, "schema-bare", emulator)
    bare.write('resource "terraform_data" "x" {}\n')
    with_p, without = [], []
    for _ in range(args.schema_runs):
        with_p.append(ours.run("providers", "schema", "-json")["wall"])
        without.append(bare.run("providers", "schema", "-json")["wall"])
    result.update(
        schema_with_ms=median(with_p) * 1e3,
        schema_without_ms=median(without) * 1e3,
        schema_ms=(median(with_p) - median(without)) * 1e3,
        schema_runs=args.schema_runs,
    )

    # Peak RSS while Terraform plans 500 new resources (plan only: the scale
    # part measures it again with state, during the refresh).
    emulator.reset()
    ws = Workspace(work, "plan500", emulator)
    scale_prerequisites(emulator, ws, 500)
    ws.write(scale_config(500))
    r = ws.run("plan", "-refresh=false", emulator=emulator)
    result["rss_plan500_mb"] = r["rss_mb"]

    target("release binary size", f"{result['size_mb']:.1f} MB", "< 40 MB", result["size_mb"] < 40)
    target("exec to handshake, median", f"{result['handshake_ms']:.2f} ms", "< 10 ms",
           result["handshake_ms"] < 10)
    target("RSS after the handshake", f"{result['rss_handshake_mb']:.1f} MB", "< 15 MB",
           result["rss_handshake_mb"] < 15)
    target("peak RSS, 500-resource plan", f"{result['rss_plan500_mb']:.1f} MB", "< 60 MB",
           result["rss_plan500_mb"] < 60)
    return result


# --- 2. scale ---------------------------------------------------------------

# The mix the scale configurations cycle through: every resource type that
# runs against the emulator without a cluster, one in seven an OIDC provider
# the IRSA roles trust.
MIX = [
    ("clusteriam_rancher_node_role", lambda i: f'name = "bench-node-{i}"\n  node_role = "{["controlplane", "etcd", "worker"][i % 3]}"'),
    ("clusteriam_eks_connector_agent_role", lambda i: f'name = "bench-agent-{i}"'),
    ("clusteriam_kkp_account_policy", lambda i: f'name = "bench-kkp-{i}"'),
    ("clusteriam_torque_agent_role", lambda i: f'name = "bench-torque-{i}"\n  oidc_provider_arn = clusteriam_oidc_provider.r5.arn\n  namespace = "torque"\n  service_account = "runner-{i}"\n  policy_arns = [var.policy_arn]'),
    ("clusteriam_rancher_csp_adapter_role", lambda i: f'name = "bench-csp-{i}"\n  oidc_provider_arn = clusteriam_oidc_provider.r5.arn'),
    ("clusteriam_oidc_provider", lambda i: f'url = "https://oidc.eks.us-east-1.amazonaws.com/id/BENCH{i:05d}"'),
    # Each cluster its own subnet and security group, as in real accounts (an
    # EC2 resource holds at most 50 tags).
    ("clusteriam_cluster_tags", lambda i: f'cluster_id = "bench-{i}"\n  subnet_ids = [var.subnet_ids[{i // 7}]]\n  security_group_id = var.security_group_ids[{i // 7}]'),
]


def scale_config(n):
    parts = [PROVIDER_BLOCK,
             'variable "subnet_ids" { type = list(string) }\n'
             'variable "security_group_ids" { type = list(string) }\n'
             'variable "policy_arn" { type = string }\n']
    for i in range(n):
        kind, body = MIX[i % len(MIX)]
        parts.append(f'resource "{kind}" "r{i}" {{\n  {body(i)}\n}}\n')
    return "\n".join(parts)


def data_config(n):
    return f'resource "terraform_data" "r" {{\n  count = {n}\n  input = "r-${{count.index}}"\n}}\n'


def prerequisites(emulator, ws, clusters=1):
    """The EC2 objects cluster_tags tags (a subnet and a security group per
    cluster) and the managed policy the Torque roles attach, made out of band
    (not measured). moto has no AWS managed policies unless told to load them
    all, hence a customer one."""
    ec2 = emulator.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets, groups = [], []
    for k in range(clusters):
        subnets.append(ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{k}.0/24")["Subnet"]["SubnetId"])
        groups.append(ec2.create_security_group(GroupName=f"bench-{k}", Description="bench",
                                                VpcId=vpc)["GroupId"])
    policy = emulator.client("iam").create_policy(
        PolicyName="bench-iac", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
    )["Policy"]["Arn"]
    ws.write(f'subnet_ids = {json.dumps(subnets)}\nsecurity_group_ids = {json.dumps(groups)}\n'
             f'policy_arn = "{policy}"\n', "terraform.tfvars")
    return vpc, subnets[0], groups[0], policy


def scale_prerequisites(emulator, ws, n):
    """prerequisites() for scale_config(n): one cluster per cluster_tags."""
    prerequisites(emulator, ws, clusters=n // len(MIX) + 1)


PHASES = [
    ("plan", ["plan"], (0,)),
    ("apply", ["apply", "-auto-approve"], (0,)),
    # -detailed-exitcode: 0 only when the plan after apply is empty.
    ("re-plan", ["plan", "-detailed-exitcode"], (0,)),
    ("destroy", ["destroy", "-auto-approve"], (0,)),
]


def scale(args, work, emulator):
    results = {}  # (n, kind, phase) -> list of runs
    for n in args.sizes:
        for rep in range(args.reps):
            for kind in ("clusteriam", "terraform_data"):
                log(f"scale: N={n} {kind} (repetition {rep + 1}/{args.reps})")
                emulator.reset()
                ws = Workspace(work, f"scale-{n}-{kind}-{rep}", emulator)
                if kind == "clusteriam":
                    scale_prerequisites(emulator, ws, n)
                    ws.write(scale_config(n))
                else:
                    ws.write(data_config(n))
                for phase, cmd, ok in PHASES:
                    r = ws.run(*cmd, ok=ok, emulator=emulator)
                    results.setdefault((n, kind, phase), []).append(r)
                shutil.rmtree(ws.dir)
    biggest = max(args.sizes)
    ours = median([r["wall"] for r in results[(biggest, "clusteriam", "re-plan")]])
    floor = median([r["wall"] for r in results[(biggest, "terraform_data", "re-plan")]])
    target(f"{biggest}-resource refresh (re-plan) vs terraform_data",
           f"{ours / floor:.2f}x ({ours:.1f} s vs {floor:.1f} s)", "<= 1.5x", ours / floor <= 1.5)
    if biggest >= 500:
        rss = max(r["rss_mb"] for r in results[(biggest, "clusteriam", "re-plan")])
        target(f"peak RSS, {biggest}-resource refresh + plan", f"{rss:.1f} MB", "< 60 MB", rss < 60)
    return results


# --- 3. AWS calls -----------------------------------------------------------

# One resource of each type, and the documented minimum for each phase:
# writes for create and destroy (the documented commands), reads for a
# refresh (what observing everything the resource owns needs), no writes on
# refresh or a no-op plan.
CALL_CASES = [
    ("clusteriam_rancher_node_role", 'name = "calls-node"\n  node_role = "worker"',
     {"create": ["CreateRole", "PutRolePolicy", "CreateInstanceProfile", "AddRoleToInstanceProfile"],
      "destroy": ["RemoveRoleFromInstanceProfile", "DeleteInstanceProfile", "DeleteRolePolicy", "DeleteRole"],
      "refresh": ["GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"]}),
    ("clusteriam_eks_connector_agent_role", 'name = "calls-agent"',
     {"create": ["CreateRole", "PutRolePolicy"],
      "destroy": ["DeleteRolePolicy", "DeleteRole"],
      "refresh": ["GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies"]}),
    ("clusteriam_rancher_csp_adapter_role", 'name = "calls-csp"\n  oidc_provider_arn = var.oidc_arn',
     {"create": ["CreateRole", "PutRolePolicy"],
      "destroy": ["DeleteRolePolicy", "DeleteRole"],
      "refresh": ["GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies"]}),
    ("clusteriam_torque_agent_role", f'name = "calls-torque"\n  oidc_provider_arn = var.oidc_arn\n  namespace = "torque"\n  service_account = "runner"\n  policy_arns = [var.policy_arn]',
     {"create": ["CreateRole", "AttachRolePolicy"],
      "destroy": ["DetachRolePolicy", "DeleteRole"],
      "refresh": ["GetRole", "ListRolePolicies", "ListAttachedRolePolicies"]}),
    ("clusteriam_eks_connector_service_linked_role", "",
     {"create": ["CreateServiceLinkedRole"],
      "destroy": ["DeleteServiceLinkedRole"],
      "refresh": ["GetRole"]}),
    ("clusteriam_oidc_provider", 'url = "https://oidc.eks.us-east-1.amazonaws.com/id/CALLS"',
     {"create": ["CreateOpenIDConnectProvider"],
      "destroy": ["DeleteOpenIDConnectProvider"],
      "refresh": ["GetOpenIDConnectProvider"]}),
    ("clusteriam_kkp_account_policy", 'name = "calls-kkp"\n  user_name = var.user_name',
     {"create": ["CreatePolicy", "AttachUserPolicy"],
      "destroy": ["DetachUserPolicy", "DeletePolicy"],
      "refresh": ["GetPolicy", "GetPolicyVersion", "ListEntitiesForPolicy"]}),
    ("clusteriam_vpc_dns_hostnames", "vpc_id = var.vpc_id",
     {"create": ["ModifyVpcAttribute"],  # DNS support is on already; hostnames only
      "destroy": ["ModifyVpcAttribute"],
      "refresh": ["DescribeVpcAttribute", "DescribeVpcAttribute"]}),
    ("clusteriam_cluster_tags", 'cluster_id = "calls"\n  subnet_ids = [var.subnet_id]\n  security_group_id = var.security_group_id',
     {"create": ["CreateTags"],
      "destroy": ["DeleteTags"],
      "refresh": ["DescribeTags"]}),
]

CALL_PHASES = [
    ("create", ["apply", "-auto-approve"]),
    # -detailed-exitcode: a refresh of unchanged resources finds no drift.
    ("refresh", ["plan", "-refresh-only", "-detailed-exitcode"]),
    ("no-op plan", ["plan", "-detailed-exitcode"]),
    ("destroy", ["destroy", "-auto-approve"]),
]

CALLS_VARS = """
variable "oidc_arn" { type = string }
variable "user_name" { type = string }
variable "vpc_id" { type = string }
variable "subnet_id" { type = string }
variable "security_group_id" { type = string }
variable "policy_arn" { type = string }
"""


def aws_calls(args, work, emulator):
    table = {}
    for kind, body, minimum in CALL_CASES:
        log(f"AWS calls: {kind}")
        emulator.reset()
        ws = Workspace(work, f"calls-{kind}", emulator)
        vpc, subnet, group, policy = prerequisites(emulator, ws)
        iam = emulator.client("iam")
        oidc = iam.create_open_id_connect_provider(
            Url="https://oidc.eks.us-east-1.amazonaws.com/id/TRUSTED",
            ClientIDList=["sts.amazonaws.com"], ThumbprintList=["9" * 40])["OpenIDConnectProviderArn"]
        iam.create_user(UserName="kubermatic")
        ws.write(f'subnet_id = "{subnet}"\nsecurity_group_id = "{group}"\npolicy_arn = "{policy}"\n'
                 f'oidc_arn = "{oidc}"\nuser_name = "kubermatic"\nvpc_id = "{vpc}"\n',
                 "terraform.tfvars")
        ws.write(PROVIDER_BLOCK + CALLS_VARS + f'resource "{kind}" "this" {{\n  {body}\n}}\n')
        row = {}
        for phase, cmd in CALL_PHASES:
            emulator.start_recording()
            ws.run(*cmd)
            calls = emulator.stop_recording()
            # Each provider process asks STS who the caller is once, when
            # Terraform configures it: the provider's cost, not the resource's.
            configure = [c for c in calls if c == ("sts", "GetCallerIdentity")]
            ops = [op for svc, op in calls if (svc, op) != ("sts", "GetCallerIdentity")]
            row[phase] = {
                "reads": [op for op in ops if not is_write(op)],
                "writes": [op for op in ops if is_write(op)],
                "configure": len(configure),
            }
        table[kind] = (row, minimum)
        shutil.rmtree(ws.dir)

    for kind, (row, minimum) in table.items():
        short = kind.removeprefix("clusteriam_")
        for phase in ("create", "destroy"):
            got, want = len(row[phase]["writes"]), len(minimum[phase])
            target(f"{short}: {phase} writes", str(got), f"= {want} (documented)", got == want)
        for phase in ("refresh", "no-op plan"):
            writes = row[phase]["writes"]
            target(f"{short}: {phase} writes", str(len(writes)), "= 0", not writes)
        got, want = len(row["refresh"]["reads"]), len(minimum["refresh"])
        target(f"{short}: refresh reads", str(got), f"<= {want}", got <= want)
    return table


# --- 4. the documented way --------------------------------------------------


def render_documents(work, emulator):
    """The seed documents' JSON, rendered once by clusteriam_policy_document
    (the unit tests check the presets equal the seeds) so the CLI steps use
    exactly the documented text. Not timed."""
    ws = Workspace(work, "documents", emulator)
    oidc = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER_PLACEHOLDER}"
    presets = {
        "rancher_controlplane": {}, "rancher_etcd_worker": {}, "rancher_node_trust": {},
        "rancher_csp_adapter": {}, "rancher_csp_adapter_trust": {"oidc_provider_arn": oidc},
        "kkp_account": {"account_id": ACCOUNT}, "eks_connector_agent": {},
        "eks_connector_agent_trust": {},
        "irsa_trust": {"oidc_provider_arn": oidc, "namespace": "torque-envs",
                       "service_account": "torque-runner"},
    }
    text = PROVIDER_BLOCK
    for name, params in presets.items():
        attrs = "".join(f'\n  {k} = "{v}"' for k, v in params.items())
        text += f'data "clusteriam_policy_document" "{name}" {{\n  preset = "{name}"{attrs}\n}}\n'
        text += f'output "{name}" {{ value = data.clusteriam_policy_document.{name}.json }}\n'
    ws.write(text)
    ws.run("apply", "-auto-approve")
    out = subprocess.run([TF, "output", "-json"], cwd=ws.dir, env=ws.env, check=True,
                         capture_output=True).stdout
    return {k: v["value"] for k, v in json.loads(out).items()}


class Cli:
    """Runs `aws` commands as a user following the documents would, each
    one a new process; collects the wall time of all of them."""

    def __init__(self, emulator, workdir, docs):
        self.env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                        AWS_DEFAULT_REGION=REGION, AWS_ENDPOINT_URL=emulator.url,
                        AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
        self.dir = Path(workdir)
        self.docs = docs
        self.commands = 0

    def doc(self, name, replace=None):
        """file:// of a rendered document, with the user's edits applied."""
        text = self.docs[name]
        for old, new in (replace or {}).items():
            text = text.replace(old, new)
        path = self.dir / f"{name}-{self.commands}.json"
        path.write_text(text)
        return f"file://{path}"

    def __call__(self, *args, env=None):
        self.commands += 1
        out = subprocess.run([str(AWS_CLI), *args, "--output", "json"], env=env or self.env,
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"aws {' '.join(args)} failed: {out.stderr}")
        return json.loads(out.stdout) if out.stdout.strip() else {}


def cli_rancher(cli, setup):
    # Seed 000 (CSP adapter): the cluster's issuer, the OIDC provider if
    # missing, the role with the license-manager policy.
    issuer = cli("eks", "describe-cluster", "--name", "rancher-mgmt")["cluster"]["identity"]["oidc"]["issuer"]
    host = issuer.removeprefix("https://")
    listed = cli("iam", "list-open-id-connect-providers")["OpenIDConnectProviderList"]
    if not any(p["Arn"].endswith(host) for p in listed):
        cli("iam", "create-open-id-connect-provider", "--url", issuer,
            "--client-id-list", "sts.amazonaws.com", "--thumbprint-list", "9" * 40)
    cli("iam", "create-role", "--role-name", "rancher-csp-adapter", "--assume-role-policy-document",
        cli.doc("rancher_csp_adapter_trust", {ISSUER_PLACEHOLDER: host}))
    cli("iam", "put-role-policy", "--role-name", "rancher-csp-adapter", "--policy-name",
        "rancher-csp-adapter", "--policy-document", cli.doc("rancher_csp_adapter"))
    # Seed 001: a role + instance profile per node role, then the ClusterID tag.
    for role, policy in (("controlplane", "rancher_controlplane"), ("etcd", "rancher_etcd_worker"),
                         ("worker", "rancher_etcd_worker")):
        name = f"prod-{role}"
        cli("iam", "create-role", "--role-name", name, "--assume-role-policy-document",
            cli.doc("rancher_node_trust"))
        cli("iam", "put-role-policy", "--role-name", name, "--policy-name", name,
            "--policy-document", cli.doc(policy))
        cli("iam", "create-instance-profile", "--instance-profile-name", name)
        cli("iam", "add-role-to-instance-profile", "--instance-profile-name", name,
            "--role-name", name)
    cli("ec2", "create-tags", "--resources", setup["instance"], setup["subnet"], setup["group"],
        "--tags", "Key=kubernetes.io/cluster/prod,Value=owned")


def cli_kkp(cli, setup):
    # Seed 002: the policy for the KKP user, DNS support and hostnames on.
    arn = cli("iam", "create-policy", "--policy-name", "kubermatic-kkp", "--policy-document",
              cli.doc("kkp_account"))["Policy"]["Arn"]
    cli("iam", "attach-user-policy", "--user-name", "kubermatic", "--policy-arn", arn)
    cli("ec2", "modify-vpc-attribute", "--vpc-id", setup["vpc"], "--enable-dns-support",
        '{"Value":true}')
    cli("ec2", "modify-vpc-attribute", "--vpc-id", setup["vpc"], "--enable-dns-hostnames",
        '{"Value":true}')


def cli_torque(cli, setup):
    # Seed 003: the issuer from the cluster account, then in each target
    # account: check for the OIDC provider, create it, create the role.
    issuer = cli("eks", "describe-cluster", "--name", "torque-agents")["cluster"]["identity"]["oidc"]["issuer"]
    host = issuer.removeprefix("https://")
    for account in ("111111111111", "222222222222"):
        creds = cli("sts", "assume-role", "--role-arn", f"arn:aws:iam::{account}:role/terraform",
                    "--role-session-name", "torque")["Credentials"]
        env = dict(cli.env, AWS_ACCESS_KEY_ID=creds["AccessKeyId"],
                   AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
                   AWS_SESSION_TOKEN=creds["SessionToken"])
        listed = cli("iam", "list-open-id-connect-providers", env=env)["OpenIDConnectProviderList"]
        if not any(p["Arn"].endswith(host) for p in listed):
            cli("iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list",
                "sts.amazonaws.com", "--thumbprint-list", "9" * 40, env=env)
        trust = cli.doc("irsa_trust", {ISSUER_PLACEHOLDER: host, ACCOUNT: account})
        cli("iam", "create-role", "--role-name", "torque-agent", "--assume-role-policy-document",
            trust, env=env)


def cli_connector(cli, setup):
    # Seed 004: the service-linked role, the agent role and its policy.
    cli("iam", "create-service-linked-role", "--aws-service-name", "eks-connector.amazonaws.com")
    cli("iam", "create-role", "--role-name", "AmazonEKSConnectorAgentRole",
        "--assume-role-policy-document", cli.doc("eks_connector_agent_trust"))
    cli("iam", "put-role-policy", "--role-name", "AmazonEKSConnectorAgentRole", "--policy-name",
        "AmazonEKSConnectorAgentPolicy", "--policy-document", cli.doc("eks_connector_agent"))


def scenario_setup(emulator, name):
    """What each example expects to exist already (not timed)."""
    ec2, eks, iam = emulator.client("ec2"), emulator.client("eks"), emulator.client("iam")
    setup = {}
    if name in ("rancher", "torque"):
        cluster = "rancher-mgmt" if name == "rancher" else "torque-agents"
        eks.create_cluster(name=cluster, roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks",
                           resourcesVpcConfig={"subnetIds": ["subnet-11111111"]})
    if name in ("rancher", "kkp"):
        setup["vpc"] = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    if name == "rancher":
        setup["subnet"] = ec2.create_subnet(VpcId=setup["vpc"], CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        setup["group"] = ec2.create_security_group(GroupName="rancher", Description="rancher",
                                                   VpcId=setup["vpc"])["GroupId"]
        image = ec2.describe_images()["Images"][0]["ImageId"]
        setup["instance"] = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1,
                                              SubnetId=setup["subnet"])["Instances"][0]["InstanceId"]
    if name == "kkp":
        iam.create_user(UserName="kubermatic")
    return setup


SCENARIOS = [
    ("rancher", cli_rancher, lambda s: ["eks_cluster_name=rancher-mgmt", "cluster_id=prod",
                                        f"subnet_id={s['subnet']}", f"security_group_id={s['group']}",
                                        f'instance_ids=["{s["instance"]}"]']),
    ("kkp", cli_kkp, lambda s: ["region=us-east-1", f"vpc_id={s['vpc']}"]),
    ("torque", cli_torque, lambda s: ["cluster_name=torque-agents",
                                      "target_a_role_arn=arn:aws:iam::111111111111:role/terraform",
                                      "target_b_role_arn=arn:aws:iam::222222222222:role/terraform"]),
    ("eks-connector", cli_connector, lambda s: []),
]


def documented_way(args, work, emulator):
    docs = render_documents(work, emulator)
    results = {}
    for name, steps, tfvars in SCENARIOS:
        for rep in range(args.reps):
            log(f"documented way: {name} (repetition {rep + 1}/{args.reps})")
            emulator.reset()
            setup = scenario_setup(emulator, name)
            cli = Cli(emulator, work, docs)
            start = time.perf_counter()
            steps(cli, setup)
            cli_wall = time.perf_counter() - start

            emulator.reset()
            setup = scenario_setup(emulator, name)
            ws = Workspace(work, f"scenario-{name}-{rep}", emulator)
            shutil.copytree(ROOT / "examples" / name, ws.dir, dirs_exist_ok=True)
            subprocess.run([TF, "get", "-no-color"], cwd=ws.dir, env=ws.env, check=True,
                           capture_output=True)
            var_args = [a for v in tfvars(setup) for a in ("-var", v)]
            r = ws.run("apply", "-auto-approve", *var_args, emulator=emulator)
            entry = results.setdefault(name, {"cli": [], "tf": [], "commands": cli.commands})
            entry["cli"].append(cli_wall)
            entry["tf"].append(r["wall"])
            shutil.rmtree(ws.dir)
    for name, entry in results.items():
        tf, cli = median(entry["tf"]), median(entry["cli"])
        target(f"{name}: terraform apply vs AWS CLI steps", f"{tf:.1f} s vs {cli:.1f} s",
               "faster", tf < cli)
    return results


# --- 5. throttled -----------------------------------------------------------

# Token buckets per account: (capacity, refill per second). A call takes one
# token; with none left the proxy answers as AWS does when it throttles.
# - IAM publishes no rates. AWS's guidance ("How to monitor and query IAM
#   resources at scale", part 2; re:Post "resolve API throttling or Rate
#   exceeded errors for IAM and AWS STS") says IAM and STS throttle per
#   account, across regions, at rates that cannot be raised, and that a
#   sustained stream of IAM reads gets throttled at a few tens per second.
#   We assume a bucket of 40 reads refilled at 20 per second, and fewer
#   writes: 20 refilled at 5 per second (writes are the expensive side of
#   IAM, and every write must propagate worldwide).
# - STS GetCallerIdentity: 100 refilled at 50 per second (one call per
#   provider process; it never binds here).
# - EC2 documents its buckets, per account, region and API: 100 refilled
#   at 20 per second for a non-mutating (Describe*) API. Mutating APIs
#   (CreateTags, DeleteTags, ModifyVpcAttribute) we take as 50 refilled at 5.
# - EKS (DescribeCluster, not in the mix): 20 refilled at 10.
# Every rate can be changed with --throttle SERVICE:KIND=CAPACITY/RATE.
THROTTLE_RATES = {
    ("iam", "read"): (40, 20.0),
    ("iam", "write"): (20, 5.0),
    ("sts", "read"): (100, 50.0),
    ("ec2", "read"): (100, 20.0),
    ("ec2", "write"): (50, 5.0),
    ("eks", "read"): (20, 10.0),
}
# EC2 keeps one bucket per API; IAM, STS and EKS one per kind of call.
PER_API = {"ec2"}


class Bucket:
    def __init__(self, capacity, rate):
        self.capacity, self.rate = capacity, rate
        self.tokens, self.at = float(capacity), time.monotonic()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


def throttled_answer(service):
    """The answer each service gives when it throttles (its own error shape)."""
    rid = "00000000-0000-4000-8000-000000000000"
    if service == "ec2":
        return 503, "text/xml;charset=UTF-8", {}, (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            "<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
            f"</Error></Errors><RequestID>{rid}</RequestID></Response>")
    if service == "eks":
        return 429, "application/json", {"x-amzn-ErrorType": "ThrottlingException"}, \
            '{"message":"Rate exceeded"}'
    return 400, "text/xml", {}, (
        '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>'
        "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
        f"<RequestId>{rid}</RequestId></ErrorResponse>")


class ThrottlingProxy:
    """An HTTP proxy on 127.0.0.1 in front of the emulator that enforces
    per-account token buckets (the account: the request's access key id)
    and counts calls and throttled answers per service."""

    def __init__(self, upstream, rates):
        self.upstream = urllib.parse.urlparse(upstream)
        self.rates = rates
        self.enabled = True
        self.buckets = {}
        self.lock = threading.Lock()
        self.reset_counts()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, data = proxy.serve(self.command, self.path, self.headers, body)
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.local = threading.local()

    def reset_counts(self):
        with self.lock:
            self.calls, self.throttled = {}, {}

    def bucket(self, key, service, kind):
        with self.lock:
            if key not in self.buckets:
                capacity, rate = self.rates.get((service, kind), (10**9, 10.0**9))
                self.buckets[key] = Bucket(capacity, rate)
            return self.buckets[key]

    def serve(self, method, path, headers, body):
        auth = headers.get("Authorization", "")
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/") if "Credential=" in auth else []
        account = scope[0] if scope else "?"
        service = scope[3] if len(scope) >= 4 else "?"
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [None])[0]
        if action is None:
            action = f"{method} {urllib.parse.urlparse(path).path}"
            kind = "read" if method == "GET" else "write"
        else:
            kind = "write" if is_write(action) else "read"
        with self.lock:
            self.calls[service] = self.calls.get(service, 0) + 1
        if self.enabled:
            key = (account, service, kind, action if service in PER_API else None)
            if not self.bucket(key, service, kind).take():
                with self.lock:
                    self.throttled[service] = self.throttled.get(service, 0) + 1
                status, ctype, extra, text = throttled_answer(service)
                return status, [("Content-Type", ctype), *extra.items()], text.encode()
        if action == "GetAccountAuthorizationDetails":
            return self.details_page(method, path, headers, body)
        return self.forward(method, path, headers, body)

    def details_page(self, method, path, headers, body):
        """GetAccountAuthorizationDetails one page at a time, as IAM answers
        it: at most MaxItems (default 100) users, groups, roles and policies
        together, then IsTruncated and a Marker. The emulator always answers
        with everything at once, which would hide what a large account costs."""
        status, kept, data = self.forward(method, path, headers, body)
        if status != 200:
            return status, kept, data
        params = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        start = int(params.get("Marker", ["0"])[0])
        size = int(params.get("MaxItems", ["100"])[0])
        ns = "https://iam.amazonaws.com/doc/2010-05-08/"
        ET.register_namespace("", ns)
        root = ET.fromstring(data)
        result = root.find(f"{{{ns}}}GetAccountAuthorizationDetailsResult")
        index = 0
        for name in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"):
            members = result.find(f"{{{ns}}}{name}")
            for member in list(members if members is not None else []):
                if not start <= index < start + size:
                    members.remove(member)
                index += 1
        truncated = index > start + size
        result.find(f"{{{ns}}}IsTruncated").text = "true" if truncated else "false"
        if truncated:
            ET.SubElement(result, f"{{{ns}}}Marker").text = str(start + size)
        return status, kept, ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def forward(self, method, path, headers, body):
        conn = getattr(self.local, "conn", None)
        for attempt in range(2):
            if conn is None:
                conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port,
                                                  timeout=120)
                self.local.conn = conn
            try:
                conn.request(method, path, body=body,
                             headers={k: v for k, v in headers.items()
                                      if k.lower() not in ("connection", "keep-alive")})
                response = conn.getresponse()
                data = response.read()
                kept = [(k, v) for k, v in response.getheaders()
                        if k.lower() not in ("content-length", "transfer-encoding", "connection",
                                             "keep-alive", "server", "date")]
                return response.status, kept, data
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = self.local.conn = None
                if attempt:
                    raise

    def close(self):
        self.server.shutdown()
        self.server.server_close()


THROTTLED_PHASES = [
    ("apply", ["apply", "-auto-approve"], (0,)),
    ("refresh", ["plan", "-refresh-only", "-detailed-exitcode"], (0,)),
    ("no-op plan", ["plan", "-detailed-exitcode"], (0,)),
]


def populate(emulator, roles):
    """Fills the account with what a large one holds besides the
    configuration's objects (not measured): `roles` roles, each with a tag,
    and a local managed policy for every fourth."""
    iam = emulator.client("iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole"}]})
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]})
    for k in range(roles):
        iam.create_role(RoleName=f"other-{k}", AssumeRolePolicyDocument=trust,
                        Tags=[{"Key": "team", "Value": "other"}])
        if k % 4 == 0:
            iam.create_policy(PolicyName=f"other-{k}", PolicyDocument=policy)


def throttled(args, work, emulator):
    """Apply, refresh and no-op plan of N mixed resources through the
    throttling proxy, and the same without throttling (through the same
    proxy, to count the calls) for comparison."""
    proxy = ThrottlingProxy(emulator.url, args.throttle_rates)
    results = {}  # (n, mode, phase) -> run
    try:
        for n in args.sizes:
            for mode in ("unthrottled", "throttled"):
                log(f"throttled: N={n} {mode}")
                emulator.reset()
                proxy.buckets = {}
                proxy.enabled = mode == "throttled"
                ws = Workspace(work, f"throttled-{n}-{mode}", emulator)
                ws.env["AWS_ENDPOINT_URL"] = proxy.url
                log_path = ws.dir / "provider.log"
                ws.env["TF_LOG_PROVIDER"] = "DEBUG"
                ws.env["TF_LOG_PATH"] = str(log_path)
                scale_prerequisites(emulator, ws, n)
                populate(emulator, args.populate)
                ws.write(scale_config(n))
                for phase, cmd, ok in THROTTLED_PHASES:
                    # Let the buckets refill first when asked: each phase
                    # then starts as a run of its own would.
                    time.sleep(args.settle)
                    proxy.reset_counts()
                    log_path.write_text("")
                    r = ws.run(*cmd, ok=ok, emulator=emulator)
                    text = log_path.read_text(errors="replace")
                    if os.environ.get("BENCH_KEEP_LOGS"):
                        keep = Path(os.environ["BENCH_KEEP_LOGS"])
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / f"{n}-{mode}-{phase.replace(' ', '-')}.log").write_text(text)
                    r.update(calls=dict(proxy.calls), throttled=dict(proxy.throttled),
                             retries=text.count("retrying AWS call"))
                    results[(n, mode, phase)] = r
                shutil.rmtree(ws.dir)
    finally:
        proxy.close()
    return results


def parse_throttle(text):
    """SERVICE:KIND=CAPACITY/RATE, e.g. iam:read=40/20."""
    key, value = text.split("=")
    service, kind = key.split(":")
    capacity, rate = value.split("/")
    return (service, kind), (int(capacity), float(rate))


# --- report -----------------------------------------------------------------


# --- 6. policy checks -------------------------------------------------------


def ten_thousand_character_policy():
    """A policy of about 10,000 characters such as users write, of real actions
    from the catalogue (as benches/policy_checks.rs builds its own)."""
    actions, service = {}, None
    for line in (ROOT / "src/policy/catalogue/iam-actions.txt").read_text().splitlines():
        if line.startswith("service "):
            service = line.split()[1]
            actions[service] = []
        elif service and line and not line.startswith(("#", "key ")):
            actions[service].append(line)
    statements, length = [], 0
    for i in range(1000):
        prefix = ["s3", "ec2", "iam", "logs", "kms", "dynamodb", "sqs", "eks", "ecr", "ssm"][i % 10]
        names = actions[prefix][i // 10 * 7 % len(actions[prefix])::11][:6]
        statement = json.dumps({
            "Sid": f"S{i}", "Effect": "Allow",
            # Two wildcards, as users write them: starts of real actions.
            "Action": [f"{prefix}:{a}" for a in names]
                      + [f"{prefix}:{a[:4]}*" for a in actions[prefix][i % 97::97][:2]],
            # IAM's and S3's ARNs have no region.
            "Resource": [f"arn:aws:{prefix}:{'' if prefix in ('iam', 's3') else 'eu-central-1'}:{ACCOUNT}:thing/${{aws:username}}/*"],
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}},
        }, separators=(",", ":"))
        if length + len(statement) > 9950:
            break
        statements.append(statement)
        length += len(statement) + 1
    return '{"Version":"2012-10-17","Statement":[' + ",".join(statements) + "]}"


def policy_checks(args, work, emulator):
    """Part 6: binary growth, the Rust micro-benchmarks, and the quick-start's
    plan with and without the checks, paired."""
    result = {"size": PROVIDER.stat().st_size}
    if BASELINE:
        result["baseline_size"] = Path(BASELINE).stat().st_size
    log("policy checks: cargo bench --bench policy_checks")
    out = subprocess.run(["cargo", "bench", "--quiet", "--locked", "--bench", "policy_checks"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    result["micro"] = [line.split("\t") for line in out.splitlines() if line.count("\t") == 2]
    if not BASELINE:
        log("policy checks: no BENCH_BASELINE_PROVIDER, so no growth and no paired plans")
        return result
    # Terraform's dev_overrides name a folder and look for the provider's own
    # file name in it, so the baseline gets a folder of its own, and that name.
    baseline = Path(work) / "baseline" / "terraform-provider-clusteriam"
    baseline.parent.mkdir(exist_ok=True)
    shutil.copy2(BASELINE, baseline)
    emulator.reset()
    fixtures = subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/demo-fixtures.py")],
        env=dict(os.environ, AWS_ENDPOINT_URL=emulator.url, AWS_ACCESS_KEY_ID="bench",
                 AWS_SECRET_ACCESS_KEY="bench", AWS_REGION=REGION),
        capture_output=True, text=True, check=True).stdout.split()
    variables = [arg for f in fixtures for arg in ("-var", f)]
    policy = ten_thousand_character_policy()
    extra = f"""
resource "clusteriam_torque_agent_role" "checked" {{
  name              = "torque-agent-checked"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy            = {json.dumps(policy).replace("${", "$${")}
}}
"""
    pairs = 10 if args.quick else 50
    for variant in ("quick-start", "quick-start + 10,000-character policy"):
        spaces = {}
        for build, provider in (("with checks", PROVIDER), ("baseline", baseline)):
            ws = Workspace(work, f"policy-{len(result)}-{build.replace(' ', '-')}", emulator, provider)
            for file in (ROOT / "examples/quickstart").glob("*.tf"):
                ws.write(file.read_text(), file.name)
            if variant != "quick-start":
                ws.write(extra, "checked.tf")
            spaces[build] = ws
        for ws in spaces.values():  # warm-up, not counted
            ws.run("plan", *variables, ok=(0, 2))
        walls = {"with checks": [], "baseline": []}
        log(f"policy checks: {pairs} paired plans of the {variant}")
        for i in range(pairs):
            order = ["with checks", "baseline"] if i % 2 == 0 else ["baseline", "with checks"]
            for build in order:
                walls[build].append(spaces[build].run("plan", *variables, ok=(0, 2))["wall"])
        ratios = [a / b for a, b in zip(walls["with checks"], walls["baseline"])]
        result[variant] = {"walls": walls, "ratios": ratios, "chars": len(policy)}
    return result


def policy_report(p, pc):
    p("### 6. Policy checks\n")
    p("| measure | value |\n|---|---|")
    p(f"| release binary size | {pc['size'] / 1e6:.2f} MB |")
    if "baseline_size" in pc:
        growth = (pc["size"] - pc["baseline_size"]) / 1e6
        p(f"| the same without the checks (BENCH_BASELINE_PROVIDER) | {pc['baseline_size'] / 1e6:.2f} MB |")
        p(f"| growth | {growth:.2f} MB |")
        target("binary growth from the policy checks", f"{growth:.2f} MB", "<= 1 MB", growth <= 1.0)
    micro = {name: (float(value), unit) for name, value, unit in pc["micro"]}
    for name, (value, unit) in micro.items():
        p(f"| {name} | {value:.2f} {unit.replace('us', 'µs')} |")
    lookup = micro.get("action lookup, median")
    if lookup:
        target("action lookup, median", f"{lookup[0]:.0f} ns", "< 1 µs", lookup[0] < 1000)
    for name, (value, unit) in micro.items():
        if name.startswith("check of a 10,000-character policy") and name.endswith("median"):
            target("check of a 10,000-character policy, median", f"{value:.0f} µs", "< 1 ms", value < 1000)
    p("")
    for variant in ("quick-start", "quick-start + 10,000-character policy"):
        if variant not in pc:
            continue
        r = pc[variant]
        a, b = r["walls"]["with checks"], r["walls"]["baseline"]
        p(f"`terraform plan` of the {variant}, {len(a)} pairs (the two builds in turn, "
          "alternating which goes first): wall seconds\n")
        p("| build | min | median | max |\n|---|---|---|---|")
        for build, walls in (("with checks", a), ("baseline", b)):
            p(f"| {build} | {min(walls):.2f} | {median(walls):.2f} | {max(walls):.2f} |")
        ratio = median(r["ratios"])
        p(f"| ratio with/baseline, pair by pair | {min(r['ratios']):.2f} | {ratio:.2f} | {max(r['ratios']):.2f} |\n")
        if variant == "quick-start":
            target("quick-start plan with the checks vs without, median of paired ratios",
                   f"{ratio:.2f}x", "no slower (<= 1.05x, the noise of paired runs)", ratio <= 1.05)


def report(args, fp, sc, calls, doc, th=None, pc=None):
    out = []
    p = out.append
    load = os.getloadavg()
    p(f"Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, mode {'quick' if args.quick else 'full'}, "
      f"{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
      f"(1 / 5 / 15 min). Times are medians of {args.reps} repetition(s) unless stated.\n")
    if fp:
        p("### 1. Footprint\n")
        p("| measure | value |\n|---|---|")
        p(f"| release binary size | {fp['size_mb']:.1f} MB |")
        p(f"| exec to handshake line, median of {fp['starts']} starts | {fp['handshake_ms']:.2f} ms "
          f"(p90 {fp['handshake_p90_ms']:.2f} ms; spawning `/bin/echo` and reading its line: "
          f"{fp['spawn_floor_ms']:.2f} ms) |")
        p(f"| RSS right after the handshake, median | {fp['rss_handshake_mb']:.1f} MB |")
        p(f"| peak RSS (VmHWM) of the provider while Terraform plans 500 new resources | "
          f"{fp['rss_plan500_mb']:.1f} MB |")
        p(f"| GetProviderSchema as Terraform sees it: `terraform providers schema -json` with the "
          f"provider minus without it, median of {fp['schema_runs']} | {fp['schema_ms']:.0f} ms "
          f"({fp['schema_with_ms']:.0f} ms - {fp['schema_without_ms']:.0f} ms) |")
        p("")
    if sc:
        p("### 2. Scale: clusteriam (mixed types) vs terraform_data\n")
        p("Wall seconds per phase. *overhead/resource* = (clusteriam - terraform_data) / N. "
          "*emulator CPU* = CPU seconds moto spent serving the phase (moto serves one request "
          "at a time under the GIL, so this is close to the emulator's share of the wall time). "
          "*provider* = CPU seconds and peak RSS of the provider processes.\n")
        p("| N | phase | clusteriam s | terraform_data s | ratio | overhead/resource ms | "
          "emulator CPU s | provider CPU s | provider peak RSS MB |")
        p("|---|---|---|---|---|---|---|---|---|")
        for n in args.sizes:
            for phase, _, _ in PHASES:
                ours = sc[(n, "clusteriam", phase)]
                base = sc[(n, "terraform_data", phase)]
                o, b = median([r["wall"] for r in ours]), median([r["wall"] for r in base])
                p(f"| {n} | {phase} | {o:.2f} | {b:.2f} | {o / b:.1f}x | {(o - b) / n * 1e3:.0f} | "
                  f"{median([r['moto_cpu'] for r in ours]):.2f} | "
                  f"{median([r['provider_cpu'] for r in ours]):.2f} | "
                  f"{max(r['rss_mb'] for r in ours):.1f} |")
        p("")
    if calls:
        p("### 3. AWS calls per resource, counted at the emulator\n")
        p("One resource of each type. reads / writes per phase, excluding the one STS "
          "GetCallerIdentity each provider process makes when Terraform configures it "
          "(*configure*). *minimum* is what the documented steps need: their commands for create "
          "and destroy, and for a refresh the reads that observe everything the resource owns.\n")
        p("| resource | phase | reads | writes | configure | minimum | operations |")
        p("|---|---|---|---|---|---|---|")
        for kind, (row, minimum) in calls.items():
            for phase, _ in CALL_PHASES:
                c = row[phase]
                want = minimum.get("refresh" if phase == "no-op plan" else phase)
                want_text = (f"{len(want)} {'reads' if phase in ('refresh', 'no-op plan') else 'writes'}"
                             if want else "")
                ops = ", ".join(f"{op}" for op in c["reads"] + c["writes"])
                p(f"| {kind.removeprefix('clusteriam_')} | {phase} | {len(c['reads'])} | "
                  f"{len(c['writes'])} | {c['configure']} | {want_text} | {ops} |")
        p("")
    if doc:
        p("### 4. The documented way: AWS CLI steps vs `terraform apply`\n")
        p("The seeds' steps as `aws` commands (one process each, awscli from PyPI) against the "
          "same emulator, vs `terraform apply` of the scenario in examples/ (which plans, "
          "applies, waits for IAM and reads everything back).\n")
        p("| scenario | aws commands | AWS CLI s | terraform apply s | ratio |")
        p("|---|---|---|---|---|")
        for name, e in doc.items():
            tf, cli = median(e["tf"]), median(e["cli"])
            p(f"| {name} | {e['commands']} | {cli:.1f} | {tf:.1f} | {tf / cli:.2f}x |")
        p("")
    if th:
        p("### 5. Throttled: IAM's, STS's and EC2's rate limits in front of the emulator\n")
        rates = ", ".join(f"{s} {k} {c} refilled at {r:g}/s" for (s, k), (c, r)
                          in sorted(args.throttle_rates.items()))
        p(f"Token buckets per account ({rates}; EC2 per API). N mixed resources as in part 2, "
          "one run each, the provider's default retry settings. *IAM calls*: requests that reached the "
          "proxy, throttled ones included; *throttled*: answered `Throttling: Rate exceeded` (or "
          "EC2's `RequestLimitExceeded`); *retries*: `retrying AWS call` lines in the provider's "
          "DEBUG log. *unthrottled s*: the same phase through the same proxy with no limits.\n")
        p("| N | phase | wall s | unthrottled s | IAM calls | IAM throttled | other calls | "
          "other throttled | retries |")
        p("|---|---|---|---|---|---|---|---|---|")
        for n in args.sizes:
            for phase, _, _ in THROTTLED_PHASES:
                t, u = th[(n, "throttled", phase)], th[(n, "unthrottled", phase)]
                iam = t["calls"].get("iam", 0)
                other = sum(v for k, v in t["calls"].items() if k != "iam")
                other_throttled = sum(v for k, v in t["throttled"].items() if k != "iam")
                p(f"| {n} | {phase} | {t['wall']:.1f} | {u['wall']:.1f} | {iam} | "
                  f"{t['throttled'].get('iam', 0)} | {other} | {other_throttled} | {t['retries']} |")
        p("")
    if pc:
        policy_report(p, pc)
    p("### Targets\n")
    p("| target | measured | limit | result |\n|---|---|---|---|")
    for what, measured, limit, passed in TARGETS:
        p(f"| {what} | {measured} | {limit} | {'PASS' if passed else 'MISS'} |")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small N, one repetition")
    parser.add_argument("--only", choices=["footprint", "scale", "calls", "cli", "throttled", "policy"],
                        action="append",
                        help="run only these parts (repeatable); `throttled` and `policy` run only "
                             "when named")
    parser.add_argument("--populate", type=int, default=0, metavar="ROLES",
                        help="throttled part: fill the account with this many unrelated roles "
                             "(and a managed policy for every fourth) first")
    parser.add_argument("--settle", type=float, default=0.0, metavar="SECONDS",
                        help="throttled part: wait this long before each phase, so the "
                             "buckets refill (default 0: the phases run back to back)")
    parser.add_argument("--throttle", action="append", default=[], type=parse_throttle,
                        metavar="SERVICE:KIND=CAPACITY/RATE",
                        help="a token bucket of the throttled part, e.g. iam:read=40/20")
    parser.add_argument("--out", type=Path, default=ROOT / "target/bench/results.md",
                        help="where to write the markdown report (also printed)")
    parser.add_argument("--sizes", help="comma-separated N for the scale part (default 10,100,500; "
                        "quick: 10,100)")
    parser.add_argument("--reps", type=int, help="repetitions (default 3; quick: 1)")
    args = parser.parse_args()
    args.sizes = ([int(n) for n in args.sizes.split(",")] if args.sizes
                  else [10, 100] if args.quick else [10, 100, 500])
    args.reps = args.reps or (1 if args.quick else 3)
    args.starts = 50 if args.quick else 200
    args.schema_runs = 5 if args.quick else 15
    parts = set(args.only or ["footprint", "scale", "calls", "cli"])
    args.throttle_rates = {**THROTTLE_RATES, **dict(args.throttle)}

    with tempfile.TemporaryDirectory(prefix="clusteriam-bench-") as work:
        emulator = Emulator(work)
        try:
            fp = footprint(args, work, emulator) if "footprint" in parts else None
            sc = scale(args, work, emulator) if "scale" in parts else None
            calls = aws_calls(args, work, emulator) if "calls" in parts else None
            doc = documented_way(args, work, emulator) if "cli" in parts else None
            th = throttled(args, work, emulator) if "throttled" in parts else None
            pc = policy_checks(args, work, emulator) if "policy" in parts else None
        finally:
            emulator.close()
    text = report(args, fp, sc, calls, doc, th, pc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    log(f"report written to {args.out}")


if __name__ == "__main__":
    main()
