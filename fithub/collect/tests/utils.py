"""Fabricate ODK Central and KoboToolbox exports of a FIT Hub form, as those servers write them.

The columns come from the XForm itself (its instance's element paths), so a test built on
these files checks the importer against the form we really export, not against our own idea
of its field names.
"""

import csv
import io
import json
import uuid
import zipfile
from typing import Any
from xml.etree import ElementTree

from fithub.collect import xlsform

XF = "{http://www.w3.org/2002/xforms}"
CENTRAL_TAIL = [
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]
KOBO_TAIL = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]


def xform_paths(xml: str) -> tuple[list[str], str]:
    """Return the leaf paths of the XForm's main instance ("group/field") and its version."""
    root = ElementTree.fromstring(xml)
    data = root.find(f".//{XF}instance/{XF}{xlsform.FORM_ROOT}")
    assert data is not None
    paths: list[str] = []

    def walk(element: ElementTree.Element, prefix: str) -> None:
        for child in element:
            name = child.tag.removeprefix(XF)
            if len(child):
                walk(child, f"{prefix}{name}/")
            else:
                paths.append(f"{prefix}{name}")

    walk(data, "")
    return paths, data.attrib["version"]


def submission(
    form: Any,
    factory: Any,
    *,
    answer: str = "yes",
    version: int | None = None,
    instance_id: str | None = None,
    **overrides: str,
) -> dict[str, str]:
    """Return one filled-in form as {field name: value}, every statement answered."""
    layout = xlsform.form_layout(form.version)
    values = {
        xlsform.VERSION_FIELD: str(version or form.version.number),
        xlsform.FACTORY: str(factory.pk) if hasattr(factory, "pk") else str(factory),
        xlsform.COORDINATOR: "Rina Coordinator",
        xlsform.MANAGER: "Mohammad Manager",
        # The phone's metadata: the interview was the day before the phone reached the server.
        "start": "2026-11-19T09:05:00.000+06:00",
        "end": "2026-11-19T10:40:00.000+06:00",
        "today": "2026-11-19",
        "deviceid": "collect:Xy12Ab34",
        xlsform.LANGUAGE_FIELD: "en",
        "instanceID": instance_id or f"uuid:{uuid.uuid4()}",
        "instanceName": "Alpha Garments · 2026-11-20",
    }
    for i, f in enumerate(layout.statements):
        values[f.name] = answer if i % 2 == 0 else ("no" if answer == "yes" else answer)
        values[f.comment] = f"Comment {i}" if i == 0 else ""
    values.update(overrides)
    return values


def _leaf(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _with_edit_paths(paths: list[str], submissions: list[dict[str, str]]) -> list[str]:
    """Add meta/deprecatedID (and Kobo's meta/rootUuid) after meta/instanceID, for edits."""
    extra = [
        f"meta/{key}" for key in ("deprecatedID", "rootUuid") if any(key in s for s in submissions)
    ]
    if not extra:
        return paths
    at = paths.index("meta/instanceID") + 1
    return [*paths[:at], *extra, *paths[at:]]


def edit_of(original: dict[str, str], **changes: str) -> dict[str, str]:
    """Return an edit of a submission: a new instance ID, deprecatedID = the one it replaces."""
    root = original.get("rootUuid", original["instanceID"])
    return {
        **original,
        "instanceID": f"uuid:{uuid.uuid4()}",
        "deprecatedID": original["instanceID"],
        "rootUuid": root,
        "KEY": original.get("KEY", root),  # Central's KEY is the first instance ID, for good
        "Edits": str(int(original.get("Edits", "0")) + 1),
        "ReviewState": "edited",
        **changes,
    }


def central_csv(xml: str, submissions: list[dict[str, str]], **tail: str) -> bytes:
    """Return ODK Central's CSV export: group paths joined by "-", then its own columns."""
    paths, form_version = xform_paths(xml)
    paths = [p for p in _with_edit_paths(paths, submissions) if p != "meta/rootUuid"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["SubmissionDate", *[p.replace("/", "-") for p in paths], *CENTRAL_TAIL])
    for s in submissions:
        extra = {
            "KEY": s.get("KEY", s["instanceID"]),
            "SubmitterID": "5",
            "SubmitterName": s.get("SubmitterName", "enumerator"),
            "AttachmentsPresent": "0",
            "AttachmentsExpected": "0",
            "Status": "",
            "ReviewState": s.get("ReviewState", ""),
            "DeviceID": "collect:abc",
            "Edits": s.get("Edits", "0"),
            "FormVersion": s.get("FormVersion", form_version),
            **tail,
        }
        row = [
            s.get("SubmissionDate", "2026-11-20T08:15:00.000Z"),
            *[s.get(_leaf(p), "") for p in paths],
        ]
        writer.writerow(row + [extra[c] for c in CENTRAL_TAIL])
    return out.getvalue().encode()


def central_zip(xml: str, submissions: list[dict[str, str]]) -> bytes:
    """Return ODK Central's "download all" ZIP with the form's CSV and media folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fithub_fit_needs.csv", central_csv(xml, submissions))
        archive.writestr("media/photo.jpg", b"\xff\xd8\xff")
    return buffer.getvalue()


def central_odata(xml: str, submissions: list[dict[str, str]]) -> bytes:
    """Return ODK Central's OData JSON: groups as nested objects, `__id` and `__system`."""
    paths, form_version = xform_paths(xml)
    paths = [p for p in _with_edit_paths(paths, submissions) if p != "meta/rootUuid"]
    value = []
    for s in submissions:
        # __id is the submission's first instance ID; an edit has its own in meta/instanceID.
        item: dict[str, Any] = {"__id": s.get("KEY", s["instanceID"])}
        for path in paths:
            node = item
            *groups, name = path.split("/")
            for group in groups:
                node = node.setdefault(group, {})
            node[name] = s.get(name) or None
        item["__system"] = {
            "submissionDate": s.get("SubmissionDate", "2026-11-20T08:15:00.000Z"),
            "submitterId": "5",
            "submitterName": s.get("SubmitterName", "enumerator"),
            "deviceId": "collect:abc",
            "edits": int(s.get("Edits", "0")),
            "reviewState": s.get("ReviewState") or None,
            "formVersion": form_version,
        }
        value.append(item)
    doc = {"@odata.context": "https://central.example/v1/...$metadata#Submissions", "value": value}
    return json.dumps(doc, ensure_ascii=False).encode()


def kobo_json(xml: str, submissions: list[dict[str, str]], *, api: bool = False) -> bytes:
    """Return KoboToolbox's JSON: "group/field" keys, `_uuid`, `meta/instanceID`."""
    paths, _version = xform_paths(xml)
    paths = _with_edit_paths(paths, submissions)
    items = []
    for n, s in enumerate(submissions, 1):
        item: dict[str, Any] = {"_id": 1000 + n, "formhub/uuid": "f1e2d3", "__version__": "vQx7"}
        for path in paths:
            if s.get(_leaf(path)):  # Kobo leaves unanswered (and irrelevant) fields out
                item[path] = s[_leaf(path)]
        item["_uuid"] = s["instanceID"].removeprefix("uuid:")
        item["_submission_time"] = s.get("_submission_time", "2026-11-20T08:15:00")
        item["_submitted_by"] = s.get("_submitted_by")
        item["_validation_status"] = s.get("_validation_status", {})
        item["_attachments"] = []
        items.append(item)
    doc: Any = {"count": len(items), "next": None, "results": items} if api else items
    return json.dumps(doc, ensure_ascii=False).encode()


def kobo_csv(
    xml: str, submissions: list[dict[str, str]], *, sep: str = ";", labels: bool = False
) -> bytes:
    """Return KoboToolbox's CSV: ";"-separated, "/" group paths, then its own columns.

    With labels=True the headers and choices are the English labels, as Kobo's default
    "Labels" format writes them.
    """
    paths, _version = xform_paths(xml)
    edits = any("deprecatedID" in s for s in submissions)
    # Kobo's CSV has meta/instanceID (and, once edited, meta/deprecatedID and meta/rootUuid).
    paths = [p for p in _with_edit_paths(paths, submissions) if edits or not p.startswith("meta/")]
    header = list(paths)
    label_of: dict[str, str] = {}
    if labels:
        label_of = _english_labels(xml)
        header = [label_of.get(_leaf(p), _leaf(p)) for p in paths]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow([*header, *KOBO_TAIL])
    for n, s in enumerate(submissions, 1):
        row = [s.get(_leaf(p), "") for p in paths]
        if labels:
            row = [{"yes": "Yes", "no": "No"}.get(v, v) for v in row]
        tail = [
            str(1000 + n),
            s["instanceID"].removeprefix("uuid:"),
            s.get("_submission_time", "2026-11-20T08:15:00"),
            "",
            "",
            "submitted_via_web",
            s.get("_submitted_by", ""),
            "vQx7",
            "",
            str(n),
        ]
        writer.writerow(row + tail)
    return out.getvalue().encode()


def _english_labels(xml: str) -> dict[str, str]:
    """Return {field name: English label} from the XForm's itext."""
    root = ElementTree.fromstring(xml)
    labels = {}
    for translation in root.iter(f"{XF}translation"):
        if not translation.attrib["lang"].startswith("English"):
            continue
        for text in translation.iter(f"{XF}text"):
            ident = text.attrib["id"]
            if ident.endswith(":label"):
                value = text.find(f"{XF}value")
                assert value is not None
                labels[ident.removesuffix(":label").rsplit("/", 1)[-1]] = value.text or ""
    return labels


def kobo_xlsx(xml: str, submissions: list[dict[str, str]], *, labels: bool = False) -> bytes:
    """Return KoboToolbox's XLSX export: the CSV's columns on the first sheet, typed cells.

    Kobo writes numbers as numbers (`_id`, `_index`, a factory choice such as 17) and the
    submission time as text; a repeat group would get a sheet of its own after the first.
    """
    import openpyxl

    text = kobo_csv(xml, submissions, labels=labels).decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "FIT needs assessment"
    sheet.append(rows[0])
    numeric = {i for i, h in enumerate(rows[0]) if h in ("_id", "_index", xlsform.FACTORY)}
    for row in rows[1:]:
        sheet.append(
            [int(v) if i in numeric and v.isdigit() else (v or None) for i, v in enumerate(row)]
        )
    book.create_sheet("repeat_not_ours").append(["_index", "_parent_index"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
