"""moto 5.2.5 server with fidelity patches, for ReplGuard's tests.

Usage: python moto_launcher.py PORT [--exit-with-stdin]  (PORT 0 picks a free port). Prints
`MOTO_READY http://127.0.0.1:<port>` once the socket accepts connections. `REPLGUARD_MOTO_UNPATCHED=name,...`
(or `all`) skips patches, to show that a test fails without them. Patches: replication, object-lock,
notifications, kms, iam, cloudwatch, securityhub, securityhub-update, config, s3-tls, s3-inventory,
s3-replication, s3control-jobs, s3-bucket-region, speed-routing, speed-requests, speed-list-versions, cors, events-arrays, keep-alive.
Extra endpoints: GET /replguard/config-evaluations; GET /replguard/replication/drain[?timeoutMs=10000] waits until
every queued live-replication copy and Batch Replication job step has run (200 {"Drained": true}; 504 with false on
timeout; always served, it returns at once when nothing is queued). `REPLGUARD_MOTO_REPLICATION_DELAY_MS` (default
200) is how long after a write its replication runs (and after CreateJob the job starts preparing).

Checked with the AWS SDK v3 clients and left alone (faithful enough, or not needed by ReplGuard):
- S3: GetBucketVersioning, GetBucketEncryption (BucketKeyEnabled, aws:kms:dsse), GetBucketPolicy,
  GetBucketTagging, GetBucketLocation in other Regions, HeadBucket (BucketRegion; 404 NotFound), ListBuckets per
  account, s3:Replication:* notification events with filters. Unfaithful, left alone: ListBuckets returns no
  ContinuationToken; another account reads a bucket with no bucket policy (no cross-account
  AccessDenied); versioning can be Suspended on an Object Lock bucket; PutObjectLockConfiguration is refused
  once the bucket has objects; one canonical owner id for every account; PutBucketReplication is not validated
  (a V2 rule without Priority or DeleteMarkerReplication is accepted and returned as put).
- KMS: DescribeKey by id, key ARN, alias name and alias ARN; KeyState Disabled/PendingDeletion. Left alone: no
  cross-account DescribeKey by ARN (NotFound); key policies are not evaluated.
- IAM: GetRole (PermissionsBoundary, URL-encoded trust policy), ListRolePolicies, GetRolePolicy,
  ListAttachedRolePolicies, GetPolicy. Left alone: SimulatePrincipalPolicy is not implemented.
- STS: AssumeRole into another account works, but also for roles that do not exist, and ignores trust policies.
- CloudTrail: DescribeTrails (shadow trails), Get/PutEventSelectors basic and advanced, GetTrailStatus by ARN.
  Left alone: DescribeTrails ignores trailNameList; HasCustomEventSelectors stays false.
- CloudWatch: the JS client (3.116x) speaks awsJson1_0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
  `x-amzn-query-mode: true`); moto answers it for PutMetricAlarm, DescribeAlarms (incl. metric-math `Metrics`),
  DescribeAlarmsForMetric, SetAlarmState. Left alone: PutMetricAlarm is barely validated; PutCompositeAlarm is
  not implemented (so AlarmTypes never matters).
- Security Hub: an accepted update is merged into the stored finding (fields it omits stay; CreatedAt is
  replaced, not kept from the first import). Map/number/date filters and SortCriteria are not implemented
  (unknown filter keys are refused, never ignored); BatchUpdateFindings is missing.
- Config: TestMode=true validates only; INSUFFICIENT_DATA is not refused; DescribeComplianceByConfigRule and
  GetComplianceDetailsByResource are not implemented.
"""

import copy
import csv
import hashlib
import io
import json
import os
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from collections import deque
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs, quote

# AWS managed policies (arn:aws:iam::aws:policy/...) exist in every account; moto loads them only when asked.
SKIP = {p.strip() for p in os.environ.get("REPLGUARD_MOTO_UNPATCHED", "").split(",") if p.strip()}
if not SKIP & {"iam", "all"}:
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
# cors: AWS answers without CORS headers unless a bucket has a CORS configuration; moto adds
# `Access-Control-Allow-Origin: *` to every response of every service (and spends ~6% of a HeadObject on it).
if not SKIP & {"cors", "all"}:
    os.environ.setdefault("MOTO_DISABLE_GLOBAL_CORS", "true")

import xmltodict  # noqa: E402
from moto.cloudwatch.responses import CloudWatchResponse  # noqa: E402
from moto.config import exceptions as config_errors  # noqa: E402
from moto.config.models import ConfigBackend, config_backends  # noqa: E402
from moto.config.responses import ConfigResponse  # noqa: E402
from moto.core.responses import ActionResult  # noqa: E402
from moto.core.serialize import url_encode  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.iam import models as iam_models  # noqa: E402
from moto.iam.responses import IamResponse  # noqa: E402
from moto.kms import responses as kms_responses  # noqa: E402
from moto.kms.models import KmsBackend, kms_backends  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402
from moto.s3 import s3_backends  # noqa: E402
from moto.s3.models import FakeBucket, FakeDeleteMarker, FakeKey, S3Backend  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402
from moto.s3control import urls as s3control_urls  # noqa: E402
from moto.s3control.models import s3control_backends  # noqa: E402
from moto.s3control.responses import S3ControlResponse  # noqa: E402
from moto.securityhub.exceptions import SecurityHubClientError  # noqa: E402
from moto.securityhub import urls as securityhub_urls  # noqa: E402
from moto.securityhub.models import SecurityHubBackend  # noqa: E402
from moto.securityhub.responses import SecurityHubResponse  # noqa: E402
from moto.utilities.paginator import paginate  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def patch(name: str, cls: Any, attr: str):
    """Decorator: replace cls.attr unless the patch `name` is disabled; the original is passed first."""

    def wrap(fn):
        if not SKIP & {name, "all"}:
            original = getattr(cls, attr)
            setattr(cls, attr, lambda *args, **kw: fn(original, *args, **kw))
        return fn

    return wrap


def _stamp(value: Any) -> float:
    """Epoch seconds from a JSON-protocol timestamp (number) or an ISO 8601 string."""
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _text(body: Any) -> str:
    return body.decode() if isinstance(body, bytes) else body


# --- S3 GetBucketReplication returns each rule as it was put (Filter/Prefix forms, DeleteMarkerReplication,
# SourceSelectionCriteria, ExistingObjectReplication, every Destination element); moto rebuilds every rule with
# `Filter {Prefix: ""}` and `DeleteMarkerReplication Disabled` and drops the rest. Legacy rules (top-level Prefix)
# come back without Priority/Filter, as AWS returns them. Only a missing ID is filled in (AWS generates one).
@patch("replication", S3Backend, "put_bucket_replication")
def put_bucket_replication(original, self, bucket_name, replication):
    as_put = copy.deepcopy(replication)
    original(self, bucket_name, replication)
    rules = as_put["Rule"] if isinstance(as_put["Rule"], list) else [as_put["Rule"]]
    for rule, stored in zip(rules, replication["Rule"]):
        rule.setdefault("ID", stored["ID"])
    as_put["Rule"] = rules
    self.get_bucket(bucket_name).replguard_replication = (replication, as_put)


@patch("replication", S3Response, "get_bucket_replication")
def get_bucket_replication(original, self):
    bucket = self.backend.get_bucket(self.bucket_name)
    stored, as_put = getattr(bucket, "replguard_replication", (None, None))
    if stored is None or stored is not getattr(bucket, "replication", None):
        return original(self)
    config = {"@xmlns": S3_NS, **{k: v for k, v in as_put.items() if not k.startswith("@")}}
    return 200, {"Content-Type": "application/xml"}, xmltodict.unparse({"ReplicationConfiguration": config})


# --- S3 object operations under a bucket policy: S3 is reached over TLS (the SDKs and the AWS CLI use HTTPS), so
# `aws:SecureTransport` is true and a TLS-only Deny (`Bool aws:SecureTransport false`) does not apply. moto cannot
# evaluate the condition and applies the Deny to every PutObject/GetObject/HeadObject of such a bucket (403 with
# an empty body). Statements conditioned on aws:SecureTransport are judged as for a TLS request; others as moto
# judges them.
def _tls_applies(statement: dict[str, Any]) -> bool:
    for operator, values in (statement.get("Condition") or {}).items():
        if operator not in ("Bool", "BoolIfExists") or "aws:SecureTransport" not in values:
            continue
        wanted = values["aws:SecureTransport"]
        if "true" not in [str(v).lower() for v in (wanted if isinstance(wanted, list) else [wanted])]:
            return False
    return True


def _without_secure_transport(statement: dict[str, Any]) -> dict[str, Any]:
    condition = {op: {k: v for k, v in values.items() if k != "aws:SecureTransport"}
                 for op, values in (statement.get("Condition") or {}).items()}
    condition = {op: values for op, values in condition.items() if values}
    rest = {k: v for k, v in statement.items() if k != "Condition"}
    return {**rest, **({"Condition": condition} if condition else {})}


@patch("s3-tls", FakeBucket, "get_permission")
def get_permission(original, self, action, resource):
    if self.policy is None:
        return original(self, action, resource)
    document = json.loads(self.policy)
    statements = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    judged = [_without_secure_transport(st) for st in statements if _tls_applies(st)]
    saved = self.policy
    try:
        self.policy = json.dumps({**document, "Statement": judged}).encode()
        return original(self, action, resource)
    finally:
        self.policy = saved


# --- S3 ListBucketInventoryConfigurations returns each configuration's OptionalFields as put (a list of field
# names, as GetBucketInventoryConfiguration already does); moto lists them as the single name "Field".
@patch("s3-inventory", S3Backend, "list_bucket_inventory_configurations")
def list_bucket_inventory_configurations(original, self, *args, **kw):
    configs = original(self, *args, **kw)
    for inv in configs:
        fields = inv.optional_fields
        if isinstance(fields, dict):
            fields = fields.get("Field", [])
        inv.optional_fields = [fields] if isinstance(fields, str) else fields
    return configs


# --- (Not fidelity, speed.) Routing a request asks `moto.backends.list_of_moto_modules()`, which lists and stats
# moto's package folder every time (about 180 stat calls per request, 40% of a HeadObject): the folder does not
# change while the server runs, so it is read once.
if not SKIP & {"speed-routing", "all"}:
    from moto import backends as _moto_backends

    _MOTO_MODULES = tuple(_moto_backends.list_of_moto_modules())
    _moto_backends.list_of_moto_modules = lambda: _MOTO_MODULES

# --- (Not fidelity, speed: about a fifth of the server's CPU per request, which the benchmarks share with the client
# on a 2-CPU machine.) `speed-requests`: the backend for a Host header is looked up twice per request by matching
# every service's URL patterns in turn (the patterns do not change: the answer per host is kept); a request id (52
# characters) was drawn one `random.choice` at a time (now one `choices` call from the same generator and alphabet);
# and werkzeug's development server logs every request to stderr, which the test harness must read and discard (now
# only warnings and errors, such as a request's traceback; `REPLGUARD_MOTO_REQUEST_LOG=1` logs every request again).
if not SKIP & {"speed-requests", "all"}:
    import logging
    import string as _string
    from moto.moto_api._internal.moto_random import MotoRandom

    _BACKEND_FOR_HOST: dict[Any, Any] = {}
    _backend_for_host = DomainDispatcherApplication.get_backend_for_host

    def _cached_backend_for_host(self, host):
        if host not in _BACKEND_FOR_HOST:
            _BACKEND_FOR_HOST[host] = _backend_for_host(self, host)
        return _BACKEND_FOR_HOST[host]

    DomainDispatcherApplication.get_backend_for_host = _cached_backend_for_host

    def _random_string(self, length: int = 20, include_digits: bool = True, lower_case: bool = False) -> str:
        pool = _string.ascii_letters + (_string.digits if include_digits else "")
        drawn = "".join(self.choices(pool, k=length))
        return drawn.lower() if lower_case else drawn

    MotoRandom.get_random_string = _random_string
    if os.environ.get("REPLGUARD_MOTO_REQUEST_LOG") != "1":
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


# --- (Not fidelity, speed.) `speed-list-versions`: ListObjectVersions deep-copied every stored version (its content
# into a new temporary file, its metadata, a delete marker's key) only to set IsLatest on the copy: about a third of
# the server's CPU for a page of 1,000 versions. The copies are now shallow views of the stored versions, with their
# own IsLatest; they share the version's content buffer and so never dispose of it (a stored version's `__del__`
# closes its buffer).
if not SKIP & {"speed-list-versions", "all"}:
    import types as _types
    from moto.s3 import models as _s3_models

    class _ListedKey(FakeKey):
        __module__ = "moto.s3.models"  # moto's model metaclass names the service after the module

        def dispose(self, garbage: bool = False) -> None:
            pass

        def __del__(self) -> None:
            pass

    class _ListedMarker(FakeDeleteMarker):
        __module__ = "moto.s3.models"

    def _view(version: Any) -> Any:
        cls = _ListedKey if isinstance(version, FakeKey) else _ListedMarker
        listed = object.__new__(cls)
        listed.__dict__.update(version.__dict__)
        return listed

    def _listing_deepcopy(value: Any, *args: Any) -> Any:
        # the module's only deepcopy is ListObjectVersions' copy of one key's list of versions
        if isinstance(value, list) and all(isinstance(v, (FakeKey, FakeDeleteMarker)) for v in value):
            return [_view(v) for v in value]
        return copy.deepcopy(value, *args)

    _s3_models.copy = _types.SimpleNamespace(deepcopy=_listing_deepcopy, copy=copy.copy)


# --- keep-alive: AWS endpoints keep HTTP/1.1 connections open and the SDKs reuse them (Node's agent keeps sockets
# alive); werkzeug's development server answers every request with `Connection: close` and then waits up to 10 ms
# for stray request bytes to discard, so every call paid a new TCP connection and that wait. Here the handler
# speaks HTTP/1.1, reads whatever the application left of the request body (by Content-Length, or to the end of a
# chunked body) instead of waiting on the socket, and keeps the connection unless the client asked to close it or
# the response failed half-way.
class _NoWaitSelector:
    """Stands in for werkzeug's post-response drain (which would eat the next request of a kept-alive connection)."""

    def register(self, *args: Any, **kw: Any) -> None:
        pass

    def select(self, timeout: float | None = None) -> list[Any]:
        return []

    def close(self) -> None:
        pass


class KeepAliveRequestHandler(MotoRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # The handler writes a response's status line, headers and body in separate small sends: on a kept-alive
        # connection Nagle's algorithm would hold each next one for the client's delayed ACK (~40 ms a response).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        if not environ.get("wsgi.input_terminated"):
            length = environ.get("CONTENT_LENGTH") or ""
            environ["wsgi.input"] = LimitedStream(self.rfile, int(length) if length.isdigit() else 0)
        return environ

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "connection" and value.lower() == "close" and not self._must_close():
            return
        super().send_header(keyword, value)

    def _must_close(self) -> bool:
        return (self.headers.get("Connection") or "").lower() == "close" or self.request_version != "HTTP/1.1"

    def run_wsgi(self) -> None:
        super().run_wsgi()
        body = getattr(self, "environ", {}).get("wsgi.input")
        try:
            while body is not None and body.read(65536):
                pass
        except Exception:  # noqa: BLE001 - an unreadable rest of a body: this connection cannot be reused
            self.close_connection = True
        if self._must_close():
            self.close_connection = True


REQUEST_HANDLER: type = MotoRequestHandler
if not SKIP & {"keep-alive", "all"}:
    from werkzeug import serving as _werkzeug_serving
    from werkzeug.wsgi import LimitedStream

    _werkzeug_serving.selectors = type("_Selectors", (), {"DefaultSelector": _NoWaitSelector, "EVENT_READ": 1})
    REQUEST_HANDLER = KeepAliveRequestHandler


# --- S3 ListBuckets: AWS returns each bucket's Region (`BucketRegion`, in the SDKs' models since 2024), which saves a
# GetBucketLocation per bucket; moto 5.2.5 leaves it out.
@patch("s3-bucket-region", S3Response, "all_buckets")
def all_buckets(original, self):
    self.data["Action"] = "ListAllMyBuckets"
    self._authenticate_and_authorize_s3_action()
    listed = self.backend.list_buckets(
        prefix=self._get_param("prefix"),
        bucket_region=self._get_param("bucket-region"),
        max_buckets=self._get_param("max-buckets"),
    )
    self.data["Action"] = "ListBuckets"
    buckets = [
        {"Name": b.name, "CreationDate": b.creation_date_ISO8601, "BucketRegion": b.region_name} for b in listed
    ]
    owner = {"ID": "bcaf1ffd86f41161ca5fb16fd081034f", "DisplayName": "webfile"}
    return self.serialized(ActionResult({"Owner": owner, "Buckets": buckets}))


# --- S3 GetObjectLockConfiguration: DefaultRetention has Days or Years, whichever was put; moto adds the other as 0.
@patch("object-lock", S3Response, "get_object_lock_configuration")
def get_object_lock_configuration(original, self):
    status, headers, body = original(self)
    return status, headers, re.sub(r"<(Days|Years)>0</\1>", "", _text(body))


# --- S3 GetBucketNotificationConfiguration returns `<EventBridgeConfiguration/>` when EventBridge delivery is on;
# moto stores it but leaves it out of the response.
@patch("notifications", S3Response, "get_bucket_notification")
def get_bucket_notification(original, self):
    status, headers, body = original(self)
    config = self.backend.get_bucket(self.bucket_name).notification_configuration
    body = _text(body)
    if config is None or config.event_bridge is None or "EventBridgeConfiguration" in body:
        return status, headers, body
    if not body.strip():
        body = f'<NotificationConfiguration xmlns="{S3_NS}"></NotificationConfiguration>'
    body = re.sub(r"<NotificationConfiguration([^>]*)/>", r"<NotificationConfiguration\1></NotificationConfiguration>", body)
    return status, headers, body.replace("</NotificationConfiguration>", "<EventBridgeConfiguration/></NotificationConfiguration>")


# --- KMS: keys behind `alias/aws/*` are AWS managed (KeyManager AWS, AWS's key policy), moto makes them CUSTOMER keys
# with its default policy. GetKeyPolicy without PolicyName means `default` (moto refuses it).
@patch("kms", KmsBackend, "_generate_default_keys")
def generate_default_keys(original, self, alias_name):
    key_id = original(self, alias_name)
    if key_id:
        key, service = self.keys[key_id], alias_name.split("/")[-1]
        key.key_manager = "AWS"
        key.policy = json.dumps({"Version": "2012-10-17", "Id": f"auto-{service}-2", "Statement": [
            {"Sid": f"Allow access through {service.upper()} for all principals in the account that are authorized",
             "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
             "Resource": "*", "Condition": {"StringEquals": {
                 "kms:CallerAccount": self.account_id, "kms:ViaService": f"{service}.{self.region_name}.amazonaws.com"}}},
            {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{self.account_id}:root"},
             "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}]})
    return key_id


patch("kms", kms_responses, "_assert_default_policy")(lambda original, name: original(name or "default"))

# --- IAM GetPolicyVersion returns the document URL-encoded (RFC 3986), like every other IAM policy document.
# (Not fidelity, speed: finding the account of assumed-role credentials no longer creates an IAM backend, and
# loads the AWS managed policies, for every partition of every account.)
if not SKIP & {"iam", "all"}:
    IamResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER["GetPolicyVersionResponse.PolicyVersion.Document"] = url_encode

    def get_account_id_from(access_key: str) -> str:
        for account_id, partitions in list(iam_models.iam_backends.items()):
            if any(access_key in backend.access_keys for backend in list(dict.values(partitions))):
                return account_id
        return DEFAULT_ACCOUNT_ID

    iam_models.get_account_id_from = get_account_id_from


# --- CloudWatch DescribeAlarms returns metric alarms in name order, MaxRecords (default 50) at a time with a
# NextToken; moto returns them all in one page, so callers' pagination was never exercised.
@patch("cloudwatch", CloudWatchResponse, "describe_alarms")
def describe_alarms(original, self):
    result = original(self).result
    alarms = sorted(result["MetricAlarms"], key=lambda a: a.name)
    start, size = int(self._get_param("NextToken") or 0), int(self._get_param("MaxRecords") or 50)
    more = {"NextToken": str(start + size)} if start + size < len(alarms) else {}
    return ActionResult({**result, "MetricAlarms": alarms[start : start + size], **more})


# --- CloudWatch DescribeAlarmsForMetric matches the metric's full dimension set (and Statistic, ExtendedStatistic,
# Period, Unit when given); moto matches namespace and metric name only.
@patch("cloudwatch", CloudWatchResponse, "describe_alarms_for_metric")
def describe_alarms_for_metric(original, self):
    want = {(d["Name"], d["Value"]) for d in self._get_param("Dimensions", [])}
    extra = [(a, self._get_param(p)) for a, p in (("statistic", "Statistic"), ("extended_statistic", "ExtendedStatistic"),
                                                   ("period", "Period"), ("unit", "Unit"))]
    alarms = [a for a in original(self).result["MetricAlarms"]
              if {(d.name, d.value) for d in a.dimensions} == want
              and all(v is None or str(getattr(a, attr)) == str(v) for attr, v in extra)]
    return ActionResult({"MetricAlarms": alarms})


# --- Security Hub GetFindings honours string Filters (moto ignores them): within a field, positive comparisons are
# ORed and negative ones ANDed; fields are ANDed (as AWS documents). Pagination stays moto's. Refused while Security
# Hub is not enabled (InvalidAccessException), as BatchImportFindings is below.
SH_FIELDS = {"Id": "Id", "GeneratorId": "GeneratorId", "ProductArn": "ProductArn", "AwsAccountId": "AwsAccountId",
             "RecordState": "RecordState", "ComplianceStatus": "Compliance.Status", "WorkflowStatus": "Workflow.Status",
             "SeverityLabel": "Severity.Label", "Title": "Title", "Type": "Types", "Region": "Region",
             "ResourceId": "Resources.Id", "ResourceType": "Resources.Type"}
SH_TESTS = {"EQUALS": str.__eq__, "PREFIX": str.startswith, "CONTAINS": str.__contains__}
SH_NEGATED = {"NOT_EQUALS": "EQUALS", "PREFIX_NOT_EQUALS": "PREFIX", "NOT_CONTAINS": "CONTAINS"}


def _values(node: Any, path: list[str]) -> list[str]:
    if isinstance(node, list):
        return [v for item in node for v in _values(item, path)]
    if not path:
        return [node] if isinstance(node, str) else []
    return _values(node.get(path[0]), path[1:]) if isinstance(node, dict) else []


def _finding_matches(finding: dict[str, Any], filters: dict[str, Any]) -> bool:
    for key, conditions in filters.items():
        if key not in SH_FIELDS:
            raise SecurityHubClientError("InvalidInputException", f"replguard emulator: GetFindings filter {key} is not implemented")
        values = _values(finding, SH_FIELDS[key].split("."))
        positive = [c for c in conditions if c.get("Comparison") in SH_TESTS]
        if positive and not any(SH_TESTS[c["Comparison"]](v, c["Value"]) for c in positive for v in values):
            return False
        for c in (c for c in conditions if c.get("Comparison") in SH_NEGATED):
            if any(SH_TESTS[SH_NEGATED[c["Comparison"]]](v, c["Value"]) for v in values):
                return False
    return True


if not SKIP & {"securityhub", "all"}:
    _sh_get_findings = SecurityHubBackend.get_findings.__wrapped__

    @paginate(pagination_model=SecurityHubBackend.PAGINATION_MODEL)
    def get_findings(self, filters=None, sort_criteria=None, max_results=None):
        if not self.enabled:
            raise SecurityHubClientError("InvalidAccessException", f"Account {self.account_id} is not subscribed to AWS Security Hub")
        findings = _sh_get_findings(self, filters=None, sort_criteria=sort_criteria, max_results=max_results)
        return [f for f in findings if _finding_matches(f, filters or {})]

    SecurityHubBackend.get_findings = get_findings


# --- Security Hub BatchImportFindings (moto accepts anything with Resources and overwrites by Id), as AWS documents:
# a finding for another account fails the request (AccessDeniedException); while Security Hub is off, or when a
# finding lacks required ASFF fields, it comes back in FailedFindings (InvalidAccess / InvalidInput); an update whose
# UpdatedAt is not later than the stored one is ignored; Workflow/Note/UserDefinedFields/VerificationState cannot
# be changed by a later import; new findings get RecordState ACTIVE and Workflow NEW.
SH_REQUIRED = ("AwsAccountId", "CreatedAt", "Description", "GeneratorId", "Id", "ProductArn", "Resources",
               "SchemaVersion", "Title", "UpdatedAt")
SH_NOT_UPDATABLE = ("Workflow", "WorkflowState", "Note", "UserDefinedFields", "VerificationState")


def _asff_problem(f: dict[str, Any]) -> str | None:
    missing = [k for k in SH_REQUIRED if not f.get(k)]
    missing += [k for k in ("Severity", "Types") if not f.get(k) and not (f.get("FindingProviderFields") or {}).get(k)]
    for i, r in enumerate(f.get("Resources") or []):
        missing += [f"Resources[{i}].{k}" for k in ("Id", "Type") if not (isinstance(r, dict) and r.get(k))]
    return ", ".join(f"data should have required property '{k}'" for k in missing) or None


@patch("securityhub", SecurityHubBackend, "batch_import_findings")
def batch_import_findings(original, self, findings):
    for f in findings:
        if f.get("AwsAccountId") and f["AwsAccountId"] != self.account_id:
            raise SecurityHubClientError("AccessDeniedException", f"User: arn:aws:iam::{self.account_id}:root is not "
                                         f"authorized to perform: securityhub:BatchImportFindings on resource: {f.get('ProductArn')}")
    known, valid, failed, ignored = {x.id: x.data for x in self.findings}, [], [], 0
    for f in findings:
        problem = None if self.enabled else f"Account {self.account_id} is not subscribed to AWS Security Hub"
        problem = problem or _asff_problem(f)
        if problem:
            code = "InvalidAccess" if not self.enabled else "InvalidInput"
            message = problem if not self.enabled else f"Finding does not adhere to Amazon Security Finding Format. {problem}"
            failed.append({"Id": f.get("Id", ""), "ErrorCode": code, "ErrorMessage": message})
        elif f["Id"] in known and _stamp(f["UpdatedAt"]) <= _stamp(known[f["Id"]]["UpdatedAt"]):
            ignored += 1
        else:
            f = {k: v for k, v in f.items() if f["Id"] not in known or k not in SH_NOT_UPDATABLE}
            if f["Id"] not in known:
                f = {"RecordState": "ACTIVE", "Workflow": {"Status": "NEW"}, "WorkflowState": "NEW", **f}
            valid.append(f)
    failed_count, success_count, failed_findings = original(self, valid)
    return failed_count + len(failed), success_count + ignored, failed_findings + failed


# --- Security Hub BatchUpdateFindings (PATCH /findings/batchupdate), which customers use to change Workflow, Note and
# the other investigation fields of existing findings (BatchImportFindings cannot, once a finding exists); moto lacks
# it. Findings are named by Id and ProductArn (at most 100); unknown ones come back in UnprocessedFindings; UpdatedAt
# is left as it is, as AWS documents.
SH_UPDATABLE_WORKFLOW = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"}


def batch_update_findings(self):
    backend = self.securityhub_backend
    if not backend.enabled:
        raise SecurityHubClientError("InvalidAccessException", f"Account {backend.account_id} is not subscribed to AWS Security Hub")
    body = json.loads(self.body or "{}")
    identifiers = body.get("FindingIdentifiers") or []
    if not identifiers or len(identifiers) > 100:
        raise SecurityHubClientError("InvalidInputException", "FindingIdentifiers must name 1 to 100 findings")
    workflow, note = body.get("Workflow"), body.get("Note")
    if workflow and workflow.get("Status") not in SH_UPDATABLE_WORKFLOW:
        raise SecurityHubClientError("InvalidInputException", f"Workflow.Status must be one of {sorted(SH_UPDATABLE_WORKFLOW)}")
    if note and (not note.get("Text") or not note.get("UpdatedBy") or len(note["Text"]) > 512):
        raise SecurityHubClientError("InvalidInputException", "Note needs Text (at most 512 characters) and UpdatedBy")
    stored = {(f.data.get("Id"), f.data.get("ProductArn")): f for f in backend.findings}
    processed, unprocessed = [], []
    for ident in identifiers:
        finding = stored.get((ident.get("Id"), ident.get("ProductArn")))
        if finding is None:
            unprocessed.append({"FindingIdentifier": ident, "ErrorCode": "FindingNotFound",
                                "ErrorMessage": "Finding not found"})
            continue
        if workflow:
            finding.data["Workflow"] = {"Status": workflow["Status"]}
            finding.data["WorkflowState"] = workflow["Status"] if workflow["Status"] != "NOTIFIED" else "IN_PROGRESS"
        if note:
            finding.data["Note"] = {"Text": note["Text"], "UpdatedBy": note["UpdatedBy"],
                                    "UpdatedAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
        processed.append(ident)
    return json.dumps({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})


if not SKIP & {"securityhub-update", "all"}:
    securityhub_urls.url_paths["{0}/findings/batchupdate$"] = SecurityHubResponse.dispatch
    SecurityHubResponse.batch_update_findings = batch_update_findings


# --- Config PutEvaluations without TestMode is stored (moto raises NotImplementedError), as the latest evaluation per
# rule and resource by OrderingTimestamp; AWS's checks apply (100 evaluations, 256-character annotations, required
# fields). Real
# ResultTokens are opaque and name the rule; the emulator takes the ResultToken itself as the rule name.
# Read back with GetComplianceDetailsByConfigRule or `GET /replguard/config-evaluations`.
@patch("config", ConfigBackend, "put_evaluations")
def put_evaluations(original, self, evaluations=None, result_token=None, test_mode=False):
    original(self, evaluations, result_token, True)  # moto's own checks (evaluations present, token present)
    assert evaluations is not None
    if len(evaluations) > 100:
        raise config_errors.ValidationException(f"1 validation error detected: Value '[{len(evaluations)} evaluations]' at "
                                                "'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100")
    for i, e in enumerate(evaluations, 1):
        for field in ("ComplianceResourceType", "ComplianceResourceId", "ComplianceType", "OrderingTimestamp"):
            if e.get(field) is None:
                raise config_errors.ValidationException(f"1 validation error detected: Value null at 'evaluations.{i}.member."
                                                        f"{field[0].lower() + field[1:]}' failed to satisfy constraint: Member must not be null")
        if len(e.get("Annotation") or "") > 256:
            raise config_errors.NameTooLongException(e["Annotation"], f"evaluations.{i}.member.annotation")
    if not test_mode:
        store = self.__dict__.setdefault("replguard_evaluations", {})
        for e in evaluations:
            key = (result_token, e["ComplianceResourceType"], e["ComplianceResourceId"])
            if key not in store or _stamp(e["OrderingTimestamp"]) >= store[key]["OrderingTimestamp"]:
                store[key] = {**e, "ResultToken": result_token, "OrderingTimestamp": _stamp(e["OrderingTimestamp"]),
                              "ResultRecordedTime": time.time()}
    return {"FailedEvaluations": []}


# --- Config GetResourceConfigHistory: the JSON protocol carries timestamps as epoch seconds; moto sends Python
# datetime text ("2025-03-04 10:15:30.123456+00:00"), which the AWS SDKs refuse to parse.
@patch("config", ConfigBackend, "get_resource_config_history")
def get_resource_config_history(original, self, *args, **kw):
    out = copy.deepcopy(original(self, *args, **kw))
    for item in out.get("configurationItems", []):
        for field in ("configurationItemCaptureTime", "resourceCreationTime"):
            if isinstance(item.get(field), str):
                item[field] = datetime.fromisoformat(item[field].replace("Z", "+00:00")).timestamp()
    return out


def get_compliance_details_by_config_rule(self):
    name, types = self._get_param("ConfigRuleName"), self._get_param("ComplianceTypes") or []
    stored = self.config_backend.__dict__.get("replguard_evaluations", {}).values()
    found = [e for e in stored if e["ResultToken"] == name]
    if not found and name not in self.config_backend.config_rules:
        raise config_errors.NoSuchConfigRuleException(name)
    start, size = int(self._get_param("NextToken") or 0), int(self._get_param("Limit") or 100)
    matching = [e for e in found if not types or e["ComplianceType"] in types]
    results = [{"EvaluationResultIdentifier": {"EvaluationResultQualifier": {
                    "ConfigRuleName": name, "ResourceType": e["ComplianceResourceType"],
                    "ResourceId": e["ComplianceResourceId"], "EvaluationMode": "DETECTIVE"},
                    "OrderingTimestamp": e["OrderingTimestamp"]},
                "ComplianceType": e["ComplianceType"], "ResultRecordedTime": e["ResultRecordedTime"],
                "ConfigRuleInvokedTime": e["OrderingTimestamp"],
                **({"Annotation": e["Annotation"]} if e.get("Annotation") else {})} for e in matching[start : start + size]]
    more = {"NextToken": str(start + size)} if start + size < len(matching) else {}
    return json.dumps({"EvaluationResults": results, **more})


if not SKIP & {"config", "all"}:
    ConfigResponse.get_compliance_details_by_config_rule = get_compliance_details_by_config_rule


def config_evaluations(query: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Every stored evaluation (latest per rule and resource), optionally filtered by ?accountId=&region=&resultToken=."""
    want = {k: v[0] for k, v in query.items()}
    out = []
    for account_id, regions in dict.items(config_backends):
        for region, backend in dict.items(regions):
            for e in backend.__dict__.get("replguard_evaluations", {}).values():
                row = {"AccountId": account_id, "Region": region, **e, "ConfigRuleName": e["ResultToken"]}
                for k in ("OrderingTimestamp", "ResultRecordedTime"):
                    row[k] = datetime.fromtimestamp(e[k], timezone.utc).isoformat().replace("+00:00", "Z")
                if all(str(row.get(k[0].upper() + k[1:])) == v for k, v in want.items()):
                    out.append(row)
    return out


# --- S3 live replication. AWS: a version written to a versioned bucket whose replication configuration has an Enabled
# rule covering it (Filter Prefix, Tag, And, or a legacy top-level Prefix; SSE-KMS objects only when the rule has
# SourceSelectionCriteria.SseKmsEncryptedObjects Enabled) gets `x-amz-replication-status: PENDING` at once, then
# COMPLETED when S3 has copied it to every destination, or FAILED (for good: only a new write or Batch Replication
# retries it) when a destination cannot take it: bucket missing (DstBucketNotFound), versioning not Enabled
# (DstBucketUnversioned), no Object Lock under an Object Lock source (DstBucketObjectLockConfigMissing), replica KMS
# key missing or not Enabled (DstKmsKeyNotFound, DstKmsKeyInvalidState). The replica keeps key, version ID, content,
# metadata, tags, Last-Modified and Object Lock settings, takes the rule's StorageClass and ReplicaKmsKeyID, and reads
# `REPLICA`; replicas are never replicated again, and versions written before a rule existed have no status (never
# replicated). With several rules for one destination the highest Priority wins; with several destinations the source
# reads COMPLETED only when all succeeded, FAILED when one failed. moto: no replication at all, no status header.
# Not modelled: the role's IAM and KMS permissions, delete-marker replication, replica modification sync, RTC/metrics
# and the s3:Replication:* events, notifications of the replica write. Copies run in order on one background thread,
# REPLGUARD_MOTO_REPLICATION_DELAY_MS (default 200) after the write; `GET /replguard/replication/drain` waits for them.
REPLICATION_DELAY = int(os.environ.get("REPLGUARD_MOTO_REPLICATION_DELAY_MS", "200")) / 1000
KMS_ENCRYPTIONS = ("aws:kms", "aws:kms:dsse")
FAILURE_MESSAGES = {
    "DstBucketNotFound": "Amazon S3 is unable to find the destination bucket specified in the replication configuration.",
    "DstBucketUnversioned": "Versioning is not enabled on S3 destination bucket.",
    "DstBucketObjectLockConfigMissing": "Object Lock is not enabled on the destination bucket of an Object Lock source.",
    "DstKmsKeyNotFound": "The AWS KMS key configured in the replication configuration does not exist.",
    "DstKmsKeyInvalidState": "The AWS KMS key for the destination bucket is in an invalid state.",
}


class _Worker:
    """One background thread that runs submitted callables in order, each not before its due time."""

    def __init__(self) -> None:
        self._queue: deque[tuple[float, Callable[[], None]]] = deque()
        self._cond = threading.Condition()
        self._busy = 0
        self._thread: threading.Thread | None = None

    def submit(self, fn: Callable[[], None], delay: float = 0.0) -> None:
        with self._cond:
            self._queue.append((time.monotonic() + delay, fn))
            self._busy += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="replguard-replication", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                due, fn = self._queue[0]
                if due > time.monotonic():
                    self._cond.wait(due - time.monotonic())
                    continue
                self._queue.popleft()
            try:
                fn()
            except Exception:  # noqa: BLE001 - one broken task must not stop the others
                traceback.print_exc()
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def drain(self, timeout: float) -> bool:
        """Waits until nothing is queued or running; False if `timeout` seconds passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._busy == 0, timeout)


REPLICATOR = _Worker()
_writes = threading.local()  # the versions the current request wrote, replicated once moto has handled it


def _dig(node: Any, *path: str) -> Any:
    for name in path:
        node = node.get(name) if isinstance(node, dict) else None
    return node


def _listed(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _bucket_named(name_or_arn: str) -> tuple[S3Backend, FakeBucket] | None:
    """The bucket (ARN `arn:aws:s3:::name` or name) in whichever account of the emulator owns it."""
    name = str(name_or_arn or "").rsplit(":", 1)[-1]
    where = s3_backends.bucket_accounts.get(name)
    if not where:
        return None
    partition, account_id = where
    backend = s3_backends[account_id][partition]
    bucket = backend.buckets.get(name)
    return (backend, bucket) if bucket is not None else None


def _replication_rules(bucket: FakeBucket) -> list[dict[str, Any]]:
    return _listed(_dig(getattr(bucket, "replication", None), "Rule"))


def _rule_covers(rule: dict[str, Any], key: FakeKey, tags: dict[str, str]) -> bool:
    if "Filter" in rule:  # V2 rule: Filter {Prefix} | {Tag} | {And {Prefix, Tag...}}, empty Filter = everything
        scope = rule.get("Filter") or {}
        scope = scope.get("And") or {} if "And" in scope else scope
        prefix, wanted = scope.get("Prefix") or "", _listed(scope.get("Tag"))
    else:  # V1 (legacy) rule: top-level Prefix, no tags
        prefix, wanted = rule.get("Prefix") or "", []
    if not key.name.startswith(prefix):
        return False
    return all(tags.get(t.get("Key")) == (t.get("Value") or "") for t in wanted if isinstance(t, dict))


def _rules_for(bucket: FakeBucket, key: FakeKey, tags: dict[str, str]) -> list[dict[str, Any]]:
    """The rule that replicates `key` to each destination (highest Priority per destination), [] if not eligible."""
    if not bucket.is_versioned:
        return []
    chosen: dict[str, dict[str, Any]] = {}
    for rule in _replication_rules(bucket):
        if rule.get("Status") != "Enabled" or not _rule_covers(rule, key, tags):
            continue
        if key.encryption in KMS_ENCRYPTIONS and _dig(rule, "SourceSelectionCriteria", "SseKmsEncryptedObjects",
                                                       "Status") != "Enabled":
            continue
        destination = str(_dig(rule, "Destination", "Bucket") or "")
        best = chosen.get(destination)
        if best is None or int(rule.get("Priority") or 0) > int(best.get("Priority") or 0):
            chosen[destination] = rule
    return list(chosen.values())


def _kms_key_problem(key_id: str, account_id: str, region: str) -> str | None:
    match = re.match(r"arn:[^:]+:kms:([^:]+):(\d{12}):", key_id)
    if match:
        region, account_id = match.group(1), match.group(2)
    try:
        key = kms_backends[account_id][region].describe_key(key_id)
    except Exception:  # noqa: BLE001 - any lookup failure means the key is not there
        return "DstKmsKeyNotFound"
    return None if key.key_state == "Enabled" else "DstKmsKeyInvalidState"


def _replicate_version(source: FakeBucket, key: FakeKey, rule: dict[str, Any]) -> str | None:
    """Copies one version to the rule's destination as S3 replication does; the failure reason, or None."""
    found = _bucket_named(_dig(rule, "Destination", "Bucket"))
    if found is None:
        return "DstBucketNotFound"
    backend, destination = found
    if not destination.is_versioned:
        return "DstBucketUnversioned"
    if source.object_lock_enabled and not destination.object_lock_enabled:
        return "DstBucketObjectLockConfigMissing"
    encryption, kms_key_id = key.encryption, key.kms_key_id
    if encryption in KMS_ENCRYPTIONS:
        kms_key_id = _dig(rule, "Destination", "EncryptionConfiguration", "ReplicaKmsKeyID")
        problem = "DstKmsKeyNotFound" if not kms_key_id else _kms_key_problem(kms_key_id, backend.account_id,
                                                                                 destination.region_name)
        if problem:
            return problem
    replica = backend.put_object(destination.name, key.name, key.value, etag=key.etag.strip('"'),
                                 storage=_dig(rule, "Destination", "StorageClass") or key.storage_class,
                                 encryption=encryption, kms_key_id=kms_key_id, bucket_key_enabled=key.bucket_key_enabled,
                                 lock_mode=key.lock_mode, lock_legal_status=key.lock_legal_status,
                                 lock_until=key.lock_until, checksum_value=key.checksum_value, disable_notification=True)
    replica.set_metadata(dict(key.metadata))
    replica.website_redirect_location = key.website_redirect_location
    replica.checksum_algorithm = key.checksum_algorithm
    replica.last_modified = key.last_modified
    replica._version_id = key.version_id  # replicas keep the source's version ID; replicating one again replaces it
    versions = destination.keys.getlist(key.name, [])
    if any(v is not replica and v.version_id == key.version_id for v in versions):
        versions = [replica if v.version_id == key.version_id else v for v in versions if v is not replica]
        destination.keys.setlist(key.name, versions)
    source_backend = s3_backends[key.account_id][key.partition]
    tags = source_backend.tagger.get_tag_dict_for_resource(key.arn)
    if tags:
        backend.put_object_tagging(replica, tags)
    replica.replguard_replication_status = "REPLICA"  # type: ignore[attr-defined]
    return None


def _replicate_to_all(source: FakeBucket, key: FakeKey, rules: list[dict[str, Any]]) -> list[str]:
    """Replicates to every destination; sets the source version's status unless it is a replica. Failure reasons."""
    failures = [reason for reason in (_replicate_version(source, key, rule) for rule in rules) if reason]
    if getattr(key, "replguard_replication_status", None) != "REPLICA":
        key.replguard_replication_status = "FAILED" if failures else "COMPLETED"  # type: ignore[attr-defined]
    return failures


def _start_live_replication(backend: S3Backend, key: FakeKey) -> None:
    if getattr(key, "replguard_replication_status", None):
        return
    try:
        bucket = backend.get_bucket(key.bucket_name)
    except Exception:  # noqa: BLE001 - the bucket went away meanwhile
        return
    rules = _rules_for(bucket, key, backend.tagger.get_tag_dict_for_resource(key.arn))
    if rules:
        key.replguard_replication_status = "PENDING"  # type: ignore[attr-defined]
        REPLICATOR.submit(lambda: _replicate_to_all(bucket, key, rules), REPLICATION_DELAY)


@patch("s3-replication", S3Backend, "put_object")
def put_object(original, self, *args, **kw):
    key = original(self, *args, **kw)
    written = getattr(_writes, "keys", None)
    if written is not None:  # a client's write (replicas are written from the replication thread: not recorded)
        written.append((self, key))
    return key


def _replicating_response(original, self, *args, **kw):
    """Records the versions a request writes and starts their replication once metadata and tags are set."""
    outer, _writes.keys = getattr(_writes, "keys", None), []
    try:
        return original(self, *args, **kw)
    finally:
        written, _writes.keys = _writes.keys, outer
        for backend, key in written:
            _start_live_replication(backend, key)


patch("s3-replication", S3Response, "key_response")(_replicating_response)  # PUT, copy, multipart completion
patch("s3-replication", S3Response, "bucket_response")(_replicating_response)  # browser-form POST uploads

if not SKIP & {"s3-replication", "all"}:
    _key_response_dict = FakeKey.response_dict

    def _response_dict_with_status(self):
        headers = _key_response_dict.fget(self)
        status = getattr(self, "replguard_replication_status", None)
        if status:
            headers["x-amz-replication-status"] = status
        return headers

    FakeKey.response_dict = property(_response_dict_with_status)  # GetObject and HeadObject, any VersionId


# --- S3 Batch Replication (S3 Control CreateJob / DescribeJob / ListJobs / UpdateJobStatus at /v20180820/jobs, REST-XML,
# account in `x-amz-account-id`); moto 5.2.5 has S3 Control but no Batch Operations jobs (404). As AWS documents: a job
# with Operation S3ReplicateObject and a ManifestGenerator.S3JobManifestGenerator lists every version (oldest first,
# no delete markers) of the source bucket that its replication configuration covers, narrowed by
# Filter.ObjectReplicationStatuses (NONE = never replicated, FAILED, COMPLETED, REPLICA), CreatedAfter/Before and
# KeyNameConstraint, and replicates each one as live replication does (task failed when a destination fails; the source
# version becomes COMPLETED or FAILED, a REPLICA stays REPLICA). Status New -> Preparing -> Active -> Complete (Failed,
# with FailureReasons, when the source bucket, its replication configuration or the report bucket is missing;
# Suspended after Preparing when ConfirmationRequired, until UpdateJobStatus Ready). The same ClientRequestToken
# gives the same JobId. With Report.Enabled the completion report is written as S3 writes it:
# `{Prefix}/job-{JobId}/manifest.json` (Format, ReportCreationDate, Results [{TaskExecutionStatus, Bucket, MD5Checksum,
# Key}], ReportSchema) and `{Prefix}/job-{JobId}/results/{sha1}.csv`, one file for succeeded and one for failed tasks
# (ReportScope FailedTasksOnly: failed only), rows `bucket,key,versionId,succeeded,200,,Successful` or
# `...,failed,400,<replication failure reason>,<description>` (the order of AWS's example rows; its ReportSchema names
# ErrorCode before HTTPStatusCode). With EnableManifestOutput the generated manifest goes to
# `{ManifestPrefix}/job-{JobId}/manifest.json` + `data/{sha1}.csv` (inventory style, an emulator choice). Refused with
# 400 InvalidRequest, never ignored: missing required fields, other operations, a CSV/inventory Manifest, other filter
# fields. Unknown job: 404 NoSuchJobException. Runs on the replication thread (drained by the same route).
# SDK v3 S3ControlClient puts the account in the host (`{AccountId}.127.0.0.1`, not a valid URL): give it an
# `endpointProvider` returning the emulator's endpoint; routing here is by path only.
JOB_REPORT_SCHEMA = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"
REPLICATION_STATUSES = {"NONE", "FAILED", "COMPLETED", "REPLICA"}
IMPLEMENTED_FILTERS = {"EligibleForReplication", "ObjectReplicationStatuses", "CreatedAfter", "CreatedBefore",
                       "KeyNameConstraint"}


class _JobError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self):
        body = xmltodict.unparse({"ErrorResponse": {"Error": {"Code": self.code, "Message": self.message},
                                                    "RequestId": uuid.uuid4().hex.upper()}})
        return self.status, {"Content-Type": "application/xml", "status": self.status}, body  # moto reads "status"


def _invalid(message: str) -> _JobError:
    return _JobError(400, "InvalidRequest", message)


def _jobs(account_id: str, partition: str) -> dict[str, dict[str, Any]]:
    return s3control_backends[account_id][partition].__dict__.setdefault("replguard_jobs", {})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _validate_job(p: dict[str, Any]) -> None:
    if not re.fullmatch(r"\d{12}", str(p.get("AccountId") or "")):
        raise _invalid("AccountId (x-amz-account-id) must be a 12-digit account ID")
    operation = p.get("Operation") or {}
    if len(operation) != 1:
        raise _invalid("Operation must name exactly one operation")
    if "S3ReplicateObject" not in operation:
        raise _invalid(f"replguard emulator: only S3ReplicateObject is implemented, not {next(iter(operation))}")
    report = p.get("Report")
    if not report or report.get("Enabled") is None:
        raise _invalid("Report with Enabled is required")
    if report.get("Enabled"):
        if not re.fullmatch(r"arn:[^:]+:s3:::[^/]+", str(report.get("Bucket") or "")):
            raise _invalid("Report.Bucket must be a bucket ARN when the report is enabled")
        if report.get("Format") != "Report_CSV_20180820":
            raise _invalid("Report.Format must be Report_CSV_20180820 when the report is enabled")
        if report.get("ReportScope") not in (None, "AllTasks", "FailedTasksOnly"):
            raise _invalid("Report.ReportScope must be AllTasks or FailedTasksOnly")
    if not isinstance(p.get("Priority"), int) or not 0 <= p["Priority"] <= 2147483647:
        raise _invalid("Priority is required (0 to 2147483647)")
    if not re.fullmatch(r"arn:[^:]+:iam::\d{12}:role/.+", str(p.get("RoleArn") or "")):
        raise _invalid("RoleArn must be an IAM role ARN")
    if not 1 <= len(str(p.get("ClientRequestToken") or "")) <= 64:
        raise _invalid("ClientRequestToken is required (1 to 64 characters)")
    if p.get("Manifest"):
        raise _invalid("replguard emulator: only a ManifestGenerator is implemented for S3ReplicateObject, not Manifest")
    generator = _dig(p, "ManifestGenerator", "S3JobManifestGenerator")
    if not generator:
        raise _invalid("ManifestGenerator.S3JobManifestGenerator is required")
    if not re.fullmatch(r"arn:[^:]+:s3:::[^/]+", str(generator.get("SourceBucket") or "")):
        raise _invalid("S3JobManifestGenerator.SourceBucket must be a bucket ARN")
    if not isinstance(generator.get("EnableManifestOutput"), bool):
        raise _invalid("S3JobManifestGenerator.EnableManifestOutput is required")
    output = generator.get("ManifestOutputLocation") or {}
    if generator["EnableManifestOutput"] and (not re.fullmatch(r"arn:[^:]+:s3:::[^/]+", str(output.get("Bucket") or ""))
                                              or output.get("ManifestFormat") != "S3InventoryReport_CSV_20211130"):
        raise _invalid("EnableManifestOutput needs ManifestOutputLocation with a Bucket ARN and ManifestFormat "
                       "S3InventoryReport_CSV_20211130")
    scope = generator.get("Filter") or {}
    unknown = sorted(k for k, v in scope.items() if v is not None and k not in IMPLEMENTED_FILTERS)
    if unknown:
        raise _invalid(f"replguard emulator: manifest filter {', '.join(unknown)} is not implemented")
    bad = set(scope.get("ObjectReplicationStatuses") or []) - REPLICATION_STATUSES
    if bad:
        raise _invalid(f"ObjectReplicationStatuses must be among {sorted(REPLICATION_STATUSES)}, not {sorted(bad)}")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _in_scope(key: FakeKey, scope: dict[str, Any]) -> bool:
    statuses = set(scope.get("ObjectReplicationStatuses") or [])
    status = getattr(key, "replguard_replication_status", None) or "NONE"
    if status == "PENDING" or (statuses and status not in statuses):
        return False
    modified, after, before = _utc(key.last_modified), scope.get("CreatedAfter"), scope.get("CreatedBefore")
    if (after and modified <= _utc(after)) or (before and modified >= _utc(before)):
        return False
    names = scope.get("KeyNameConstraint") or {}
    for field, test in (("MatchAnyPrefix", str.startswith), ("MatchAnySuffix", str.endswith),
                        ("MatchAnySubstring", str.__contains__)):
        if names.get(field) and not any(test(key.name, v) for v in names[field]):
            return False
    return True


def _put_text(bucket_arn: str, key_name: str, body: str, content_type: str) -> FakeKey:
    found = _bucket_named(bucket_arn)
    if found is None:
        raise LookupError(bucket_arn)
    backend, bucket = found
    key = backend.put_object(bucket.name, key_name, body.encode(), disable_notification=True)
    key.set_metadata({"Content-Type": content_type})
    return key


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _digest(*parts: str) -> str:
    return hashlib.sha1("/".join(parts).encode()).hexdigest()


def _fail_job(job: dict[str, Any], code: str, reason: str) -> None:
    job.update(Status="Failed", TerminationDate=_now(), FailureReasons=[{"FailureCode": code, "FailureReason": reason}])


def _prepare_job(job: dict[str, Any]) -> None:
    """Preparing: generates the manifest (the versions to replicate), then Active, or Suspended when confirmation is needed."""
    if job["Status"] != "Preparing":
        return
    generator = job["ManifestGenerator"]["S3JobManifestGenerator"]
    found = _bucket_named(generator["SourceBucket"])
    owner = generator.get("ExpectedBucketOwner")
    if found is None or (owner and found[0].account_id != owner):
        return _fail_job(job, "SourceBucketNotFound", f"Source bucket {generator['SourceBucket']} was not found")
    backend, bucket = found
    if not _replication_rules(bucket):
        return _fail_job(job, "ReplicationConfigurationNotFound",
                         f"Source bucket {bucket.name} has no replication configuration")
    scope, tasks = generator.get("Filter") or {}, []
    for _, versions in bucket.keys.iterlists():
        for version in versions:
            if isinstance(version, FakeDeleteMarker) or not _in_scope(version, scope):
                continue
            rules = _rules_for(bucket, version, backend.tagger.get_tag_dict_for_resource(version.arn))
            if rules:
                tasks.append((version, rules))
    job["Tasks"], job["Source"] = tasks, bucket
    job["ProgressSummary"]["TotalNumberOfTasks"] = len(tasks)
    if generator.get("EnableManifestOutput"):
        output = generator["ManifestOutputLocation"]
        base = "/".join(p for p in (str(output.get("ManifestPrefix") or "").strip("/"), f"job-{job['JobId']}") if p)
        data = _csv([[bucket.name, quote(v.name, safe="/"), v.version_id] for v, _ in tasks])
        data_key = f"{base}/data/{_digest(job['JobId'], 'manifest')}.csv"
        try:
            _put_text(output["Bucket"], data_key, data, "text/csv")
            manifest = _put_text(output["Bucket"], f"{base}/manifest.json", json.dumps({
                "sourceBucket": bucket.name, "destinationBucket": output["Bucket"], "version": "2021-11-30",
                "creationTimestamp": str(int(time.time() * 1000)), "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, VersionId",
                "files": [{"key": data_key, "size": len(data.encode()), "MD5checksum": hashlib.md5(data.encode()).hexdigest()}],
            }, indent=2), "application/json")
        except LookupError:
            return _fail_job(job, "ManifestOutputBucketNotFound", f"Bucket {output['Bucket']} was not found")
        job["GeneratedManifestDescriptor"] = {"Format": "S3InventoryReport_CSV_20211130", "Location": {
            "ObjectArn": f"{output['Bucket']}/{base}/manifest.json", "ETag": manifest.etag.strip('"')}}
    if job["ConfirmationRequired"]:
        job.update(Status="Suspended", SuspendedDate=_now(), SuspendedCause="AwaitingConfirmation")
    else:
        job["Status"] = "Active"
        REPLICATOR.submit(lambda: _run_job(job))


def _run_job(job: dict[str, Any]) -> None:
    """Active: replicates every task, writes the completion report, then Complete (or Failed without a report bucket)."""
    if job["Status"] != "Active":
        return
    started, rows, progress = time.monotonic(), [], job["ProgressSummary"]
    for version, rules in job["Tasks"]:
        if job["Status"] != "Active":  # cancelled meanwhile
            return
        failures = _replicate_to_all(job["Source"], version, rules)
        row = [job["Source"].name, quote(version.name, safe="/"), version.version_id]
        if failures:
            progress["NumberOfTasksFailed"] += 1
            rows.append(row + ["failed", "400", failures[0], FAILURE_MESSAGES.get(failures[0], failures[0])])
        else:
            progress["NumberOfTasksSucceeded"] += 1
            rows.append(row + ["succeeded", "200", "", "Successful"])
        progress["Timers"]["ElapsedTimeInActiveSeconds"] = int(time.monotonic() - started)
    report = job["Report"]
    if report.get("Enabled") and rows:
        base = "/".join(p for p in (str(report.get("Prefix") or "").strip("/"), f"job-{job['JobId']}") if p)
        results = []
        for status in ("succeeded", "failed"):
            chosen = [r for r in rows if r[3] == status]
            if not chosen or (status == "succeeded" and report.get("ReportScope") == "FailedTasksOnly"):
                continue
            body = _csv(chosen)
            key = f"{base}/results/{_digest(job['JobId'], status)}.csv"
            try:
                _put_text(report["Bucket"], key, body, "text/csv")
            except LookupError:
                return _fail_job(job, "ReportBucketNotFound", f"Report bucket {report['Bucket']} was not found")
            results.append({"TaskExecutionStatus": status, "Bucket": report["Bucket"].rsplit(":", 1)[-1],
                            "MD5Checksum": hashlib.md5(body.encode()).hexdigest(), "Key": key})
        _put_text(report["Bucket"], f"{base}/manifest.json", json.dumps({
            "Format": report["Format"], "ReportCreationDate": _iso_ms(_now()), "Results": results,
            "ReportSchema": JOB_REPORT_SCHEMA}, indent=4), "application/json")
    job.update(Status="Complete", TerminationDate=_now())


def _job_view(job: dict[str, Any]) -> dict[str, Any]:
    fields = ("JobId", "ConfirmationRequired", "Description", "JobArn", "Status", "Operation", "Priority",
              "ProgressSummary", "FailureReasons", "Report", "CreationTime", "TerminationDate", "RoleArn",
              "SuspendedDate", "SuspendedCause", "StatusUpdateReason", "ManifestGenerator", "GeneratedManifestDescriptor")
    return {f: job[f] for f in fields if job.get(f) is not None}


def create_job(self):
    p = {k: self._get_param(k) for k in ("AccountId", "ConfirmationRequired", "Operation", "Report",
                                         "ClientRequestToken", "Manifest", "Description", "Priority", "RoleArn",
                                         "Tags", "ManifestGenerator")}
    try:
        _validate_job(p)
    except _JobError as error:
        return error.response()
    jobs = _jobs(p["AccountId"], self.partition)
    for job in jobs.values():
        if job["ClientRequestToken"] == p["ClientRequestToken"] and job["Region"] == self.region:
            return ActionResult({"JobId": job["JobId"]})
    job_id = str(uuid.uuid4())
    jobs[job_id] = job = {
        **{k: v for k, v in p.items() if v is not None and k not in ("AccountId", "Tags")},
        "JobId": job_id, "Region": self.region, "ConfirmationRequired": bool(p.get("ConfirmationRequired")),
        "JobArn": f"arn:{self.partition}:s3:{self.region}:{p['AccountId']}:job/{job_id}",
        "Status": "New", "CreationTime": _now(), "FailureReasons": [], "Tasks": [],
        "ProgressSummary": {"TotalNumberOfTasks": 0, "NumberOfTasksSucceeded": 0, "NumberOfTasksFailed": 0,
                            "Timers": {"ElapsedTimeInActiveSeconds": 0}},
    }
    job["Status"] = "Preparing"
    REPLICATOR.submit(lambda: _prepare_job(job), REPLICATION_DELAY)
    return ActionResult({"JobId": job_id})


def _find_job(self) -> dict[str, Any]:
    job = _jobs(self._get_param("AccountId"), self.partition).get(self._get_param("JobId"))
    if job is None or job["Region"] != self.region:
        raise _JobError(404, "NoSuchJobException", "The specified job does not exist")
    return job


def describe_job(self):
    try:
        return ActionResult({"Job": _job_view(_find_job(self))})
    except _JobError as error:
        return error.response()


def list_jobs(self):
    statuses = set(self._get_param("JobStatuses") or [])
    jobs = sorted((j for j in _jobs(self._get_param("AccountId"), self.partition).values()
                   if j["Region"] == self.region and (not statuses or j["Status"] in statuses)),
                  key=lambda j: j["CreationTime"], reverse=True)
    start, size = int(self._get_param("NextToken") or 0), int(self._get_param("MaxResults") or 1000)
    page = [{**{k: v for k, v in _job_view(j).items() if k in ("JobId", "Description", "Priority", "Status", "CreationTime",
                                                               "TerminationDate", "ProgressSummary")},
             "Operation": next(iter(j["Operation"]))} for j in jobs[start : start + size]]
    return ActionResult({"Jobs": page, **({"NextToken": str(start + size)} if start + size < len(jobs) else {})})


def update_job_status(self):
    try:
        job = _find_job(self)
    except _JobError as error:
        return error.response()
    requested, reason = self._get_param("RequestedJobStatus"), self._get_param("StatusUpdateReason")
    if requested == "Ready" and job["Status"] == "Suspended":
        job["Status"] = "Active"
        REPLICATOR.submit(lambda: _run_job(job))
    elif requested == "Cancelled" and job["Status"] in ("New", "Preparing", "Suspended", "Ready", "Active"):
        job.update(Status="Cancelled", TerminationDate=_now())
    else:
        return _JobError(400, "JobStatusException", f"Job {job['JobId']} is {job['Status']}: it cannot become "
                                                    f"{requested}").response()
    if reason:
        job["StatusUpdateReason"] = reason
    return ActionResult({"JobId": job["JobId"], "Status": job["Status"],
                         **({"StatusUpdateReason": reason} if reason else {})})


if not SKIP & {"s3control-jobs", "all"}:
    for route in (r"{0}/v20180820/jobs$", r"{0}/v20180820/jobs/(?P<id>[^/]+)$", r"{0}/v20180820/jobs/(?P<id>[^/]+)/status$",
                  "/v20180820/jobs", "/v20180820/jobs/<id>", "/v20180820/jobs/<id>/status"):
        s3control_urls.url_paths[route] = S3ControlResponse.dispatch
    for handler in (create_job, describe_job, list_jobs, update_job_status):
        setattr(S3ControlResponse, handler.__name__, handler)


# --- BEGIN events-arrays (issue 14, Organization event forwarding). EventBridge matches a pattern's fields inside
# arrays of objects: `{"configuration": {"metrics": {"metricStat": {"metric": {"namespace": ["AWS/S3"]}}}}}` matches
# a CloudWatch alarm event whose `configuration.metrics` is an array of metric objects (AWS's event-ruler flattens
# each element's fields under the array's path). moto flattens dicts only, so no alarm pattern ever matched.
# Test: test/integration/infra/organization-forwarding.test.ts (the replication-alarm case).
from moto.events.models import EventPattern  # noqa: E402


def _merge_flat(result: dict[str, Any], key: str, value: Any) -> None:
    if key not in result:
        result[key] = value
        return
    known = result[key] if isinstance(result[key], list) else [result[key]]
    result[key] = known + (value if isinstance(value, list) else [value])


def _flatten_event(node: Any, prefix: str = "", result: dict[str, Any] | None = None) -> dict[str, Any]:
    result = {} if result is None else result
    if isinstance(node, dict):
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict) and v:
                _flatten_event(v, key, result)
            elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                for x in v:
                    if isinstance(x, dict):
                        for sub_key, sub_value in _flatten_event(x, key).items():
                            _merge_flat(result, sub_key, sub_value)
                    else:
                        _merge_flat(result, key, x)
            else:
                _merge_flat(result, key, v)
    return result


if not SKIP & {"events-arrays", "all"}:
    EventPattern._flatten_dict = staticmethod(_flatten_event)
# --- END events-arrays


def main() -> None:
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/replguard/config-evaluations" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps({"Evaluations": config_evaluations(parse_qs(environ.get("QUERY_STRING", "")))})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body.encode()]
        if environ.get("PATH_INFO") == "/replguard/replication/drain" and environ.get("REQUEST_METHOD") == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            drained = REPLICATOR.drain(int(query.get("timeoutMs", ["10000"])[0]) / 1000)
            start_response("200 OK" if drained else "504 Gateway Timeout", [("Content-Type", "application/json")])
            return [json.dumps({"Drained": drained}).encode()]
        return moto_app(environ, start_response)

    args = sys.argv[1:]
    server = make_server("127.0.0.1", int(args[0]) if args and args[0].isdigit() else 0, app,
                         threaded=True, request_handler=REQUEST_HANDLER)
    port = server.server_address[1]
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (SQS queue URLs) from it
    if "--exit-with-stdin" in args:  # the parent keeps stdin open: exit when it goes away, even if killed
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"MOTO_READY http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
