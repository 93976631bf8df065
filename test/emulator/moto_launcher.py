"""moto 5.2.5 server with fidelity patches, for ReplGuard's tests.

Usage: python moto_launcher.py PORT [--exit-with-stdin]  (PORT 0 picks a free port). Prints
`MOTO_READY http://127.0.0.1:<port>` once the socket accepts connections. `REPLGUARD_MOTO_UNPATCHED=name,...`
(or `all`) skips patches, to show that a test fails without them. Patches: replication, object-lock,
notifications, kms, iam, cloudwatch, securityhub, securityhub-update, config. Extra endpoint: GET /replguard/config-evaluations.

Checked with the AWS SDK v3 clients and left alone (faithful enough, or not needed by ReplGuard):
- S3: GetBucketVersioning, GetBucketEncryption (BucketKeyEnabled, aws:kms:dsse), GetBucketPolicy,
  GetBucketTagging, GetBucketLocation in other Regions, HeadBucket (BucketRegion; 404 NotFound), ListBuckets per
  account, s3:Replication:* notification events with filters. Unfaithful, left alone: ListBuckets has no
  BucketRegion and ignores MaxBuckets; another account reads a bucket with no bucket policy (no cross-account
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
import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

# AWS managed policies (arn:aws:iam::aws:policy/...) exist in every account; moto loads them only when asked.
SKIP = {p.strip() for p in os.environ.get("REPLGUARD_MOTO_UNPATCHED", "").split(",") if p.strip()}
if not SKIP & {"iam", "all"}:
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

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
from moto.kms.models import KmsBackend  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402
from moto.s3.models import S3Backend  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402
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


def main() -> None:
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/replguard/config-evaluations" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps({"Evaluations": config_evaluations(parse_qs(environ.get("QUERY_STRING", "")))})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body.encode()]
        return moto_app(environ, start_response)

    args = sys.argv[1:]
    server = make_server("127.0.0.1", int(args[0]) if args and args[0].isdigit() else 0, app,
                         threaded=True, request_handler=MotoRequestHandler)
    port = server.server_address[1]
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (SQS queue URLs) from it
    if "--exit-with-stdin" in args:  # the parent keeps stdin open: exit when it goes away, even if killed
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"MOTO_READY http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
