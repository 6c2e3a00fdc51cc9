# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate, route by route, against a real Orthanc 1.10.1 with the DICOMweb
and Web Viewer plugins: what a View share of study A opens (and that the
answer really is about study A), and everything it must not open (DESIGN.md,
the gate's rules 1-7)."""

import json
import os

import pytest
import requests

# --------------------------------------------------------------------------
# Context of one study: ids and UIDs used to fill route templates.


def ctx_for(env, key, series_index=0, instance_index=0):
    study = env.study(key)
    series = study["series"][series_index]
    instance = series["instances"][instance_index]
    return {
        "key": key,
        "study": study["id"],
        "study_uid": study["uid"],
        "series": series["id"],
        "series_uid": series["uid"],
        "instance": instance["id"],
        "instance_uid": instance["uid"],
        "patient": study["patient"],
        "patient_id": study["patient_id"],
        "series_ids": [s["id"] for s in study["series"]],
        "series_uids": [s["uid"] for s in study["series"]],
        "instance_ids": [i["id"] for s in study["series"] for i in s["instances"]],
        "instance_uids": [i["uid"] for s in study["series"] for i in s["instances"]],
        "series_instance_ids": [i["id"] for i in series["instances"]],
        "series_instance_uids": [i["uid"] for i in series["instances"]],
    }


def fill(template, ctx):
    return template.format(**ctx)


# --------------------------------------------------------------------------
# Checks that a granted answer is really about the shared study.

def dicom_tag(entry, tag):
    """Value of ``tag`` (e.g. "0020000D") in a DICOM JSON object."""
    return entry[tag]["Value"][0]


def same_as_admin(r, ctx, env, path):
    admin = env.admin_get(path)
    assert admin.status_code == 200, (path, admin.status_code)
    assert r.content == admin.content, "the share got other bytes than the admin for " + path


def is_image(r, kind):
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("image/" + kind), ctype
    if kind == "png":
        assert r.content.startswith(b"\x89PNG\r\n\x1a\n")
    elif kind == "jpeg":
        assert r.content.startswith(b"\xff\xd8")


def contains_all(body, uids):
    for uid in uids:
        assert uid.encode() in body, "answer lacks " + uid


def check_study_json(r, c, env, path):
    j = r.json()
    assert j["ID"] == c["study"] and j["MainDicomTags"]["StudyInstanceUID"] == c["study_uid"]
    assert sorted(j["Series"]) == sorted(c["series_ids"])


def check_series_list(r, c, env, path):
    j = r.json()
    assert sorted(s["ID"] for s in j) == sorted(c["series_ids"])
    assert all(s["ParentStudy"] == c["study"] for s in j)


def check_instance_list(r, c, env, path):
    j = r.json()
    assert sorted(i["ID"] for i in j) == sorted(c["instance_ids"])


def check_simplified_study_uid(r, c, env, path):
    assert r.json()["StudyInstanceUID"] == c["study_uid"]


def check_study_statistics(r, c, env, path):
    assert int(r.json()["CountInstances"]) == len(c["instance_ids"])


def check_instances_tags(r, c, env, path):
    j = r.json()
    assert sorted(j) == sorted(c["instance_ids"])
    assert all(tags["StudyInstanceUID"] == c["study_uid"] for tags in j.values())


def check_module_patient(r, c, env, path):
    assert r.json()["PatientID"] == c["patient_id"]


def check_metadata_list(r, c, env, path):
    assert isinstance(r.json(), list)
    same_as_admin(r, c, env, path)


def check_series_json(r, c, env, path):
    j = r.json()
    assert j["ID"] == c["series"] and j["ParentStudy"] == c["study"]
    assert j["MainDicomTags"]["SeriesInstanceUID"] == c["series_uid"]


def check_series_instances(r, c, env, path):
    j = r.json()
    assert sorted(i["ID"] for i in j) == sorted(c["series_instance_ids"])
    assert all(i["ParentSeries"] == c["series"] for i in j)


def check_ordered_slices(r, c, env, path):
    j = r.json()
    assert sorted(j["Dicom"]) == sorted("/instances/%s/file" % i for i in c["series_instance_ids"])


def check_is_study(r, c, env, path):
    assert r.json()["ID"] == c["study"]


def check_is_series(r, c, env, path):
    assert r.json()["ID"] == c["series"]


def check_simplified_series_uid(r, c, env, path):
    assert r.json()["SeriesInstanceUID"] == c["series_uid"]


def check_series_statistics(r, c, env, path):
    assert int(r.json()["CountInstances"]) == len(c["series_instance_ids"])


def check_instance_json(r, c, env, path):
    j = r.json()
    assert j["ID"] == c["instance"] and j["ParentSeries"] == c["series"]
    assert j["MainDicomTags"]["SOPInstanceUID"] == c["instance_uid"]


def check_dicom_file(r, c, env, path):
    assert r.content[128:132] == b"DICM"
    contains_all(r.content, [c["study_uid"], c["instance_uid"]])


def check_full_tags(r, c, env, path):
    j = r.json()
    assert j["0020,000d"]["Value"] == c["study_uid"]
    assert j["0008,0018"]["Value"] == c["instance_uid"]


def check_simplified_instance(r, c, env, path):
    j = r.json()
    assert j["StudyInstanceUID"] == c["study_uid"] and j["SOPInstanceUID"] == c["instance_uid"]


def check_header(r, c, env, path):
    assert r.json()["MediaStorageSOPInstanceUID"] == c["instance_uid"]


def check_png_same(r, c, env, path):
    is_image(r, "png")
    same_as_admin(r, c, env, path)


def check_jpeg(r, c, env, path):
    is_image(r, "jpeg")
    same_as_admin(r, c, env, path)


def check_any_image(r, c, env, path):
    assert r.headers.get("Content-Type", "").startswith("image/")
    same_as_admin(r, c, env, path)


def check_bytes_same(r, c, env, path):
    assert len(r.content) > 0
    same_as_admin(r, c, env, path)


def check_frames(r, c, env, path):
    assert r.json() == [0]


def check_content_study_uid(r, c, env, path):
    assert r.content.rstrip(b"\0 ").decode() == c["study_uid"]


def check_instance_module(r, c, env, path):
    assert r.json()["SOPInstanceUID"] == c["instance_uid"]


def check_statistics_object(r, c, env, path):
    assert isinstance(r.json(), dict)
    same_as_admin(r, c, env, path)


def check_index_in_series(r, c, env, path):
    assert r.text.strip() == str(c["series_instance_ids"].index(c["instance"]) + 1)


def check_multipart_study(r, c, env, path):
    assert r.headers["Content-Type"].startswith("multipart/related")
    contains_all(r.content, c["instance_uids"])


def check_multipart_series(r, c, env, path):
    assert r.headers["Content-Type"].startswith("multipart/related")
    contains_all(r.content, c["series_instance_uids"])


def check_multipart_instance(r, c, env, path):
    assert r.headers["Content-Type"].startswith("multipart/related")
    contains_all(r.content, [c["instance_uid"]])


def check_multipart_frame(r, c, env, path):
    assert r.headers["Content-Type"].startswith("multipart/related")
    assert len(r.content) > 64 * 64 * 2  # one 64x64 16-bit frame plus the part headers


def check_study_metadata(r, c, env, path):
    j = r.json()
    assert sorted(dicom_tag(e, "00080018") for e in j) == sorted(c["instance_uids"])
    assert all(dicom_tag(e, "0020000D") == c["study_uid"] for e in j)


def check_series_metadata(r, c, env, path):
    j = r.json()
    assert sorted(dicom_tag(e, "00080018") for e in j) == sorted(c["series_instance_uids"])
    assert all(dicom_tag(e, "0020000E") == c["series_uid"] for e in j)


def check_instance_metadata(r, c, env, path):
    j = r.json()
    assert len(j) == 1 and dicom_tag(j[0], "00080018") == c["instance_uid"]


def check_qido_study_series(r, c, env, path):
    j = r.json()
    assert sorted(dicom_tag(e, "0020000E") for e in j) == sorted(c["series_uids"])


def check_qido_study_instances(r, c, env, path):
    j = r.json()
    assert sorted(dicom_tag(e, "00080018") for e in j) == sorted(c["instance_uids"])


def check_qido_series_instances(r, c, env, path):
    j = r.json()
    assert sorted(dicom_tag(e, "00080018") for e in j) == sorted(c["series_instance_uids"])


def check_qido_one_study(r, c, env, path):
    j = r.json()
    assert [dicom_tag(e, "0020000D") for e in j] == [c["study_uid"]]


def check_qido_one_instance_of_series(r, c, env, path):
    j = r.json()
    assert len(j) == 1 and dicom_tag(j[0], "00080018") in c["series_instance_uids"]


def check_qido_one_series(r, c, env, path):
    j = r.json()
    assert [dicom_tag(e, "0020000E") for e in j] == [c["series_uid"]]


def check_webviewer_series(r, c, env, path):
    j = r.json()
    assert j["ID"] == c["series"]
    assert sorted(j["Slices"]) == sorted(i + "_0" for i in c["series_instance_ids"])


def check_webviewer_stable(r, c, env, path):
    assert r.json() in (True, False)


def check_webviewer_instance(r, c, env, path):
    j = r.json()
    assert j["Orthanc"]["PixelData"] and j["Orthanc"]["PhotometricInterpretation"] == "MONOCHROME2"
    same_as_admin(r, c, env, path)


# Every read route a viewer (or an API client) uses for one study, with the
# check of a granted answer. Used with study A (granted) and with studies B
# (same patient) and C (other patient), which must both be refused.
STUDY_ROUTES = [
    # --- Orthanc REST: study ---
    ("/studies/{study}", check_study_json),
    ("/studies/{study}/", check_study_json),
    ("/studies/{study}/series", check_series_list),
    ("/studies/{study}/series?expand", check_series_list),
    ("/studies/{study}/instances", check_instance_list),
    ("/studies/{study}/shared-tags?simplify", check_simplified_study_uid),
    ("/studies/{study}/module?simplify", check_simplified_study_uid),
    ("/studies/{study}/module-patient?simplify", check_module_patient),
    ("/studies/{study}/instances-tags?simplify", check_instances_tags),
    ("/studies/{study}/statistics", check_study_statistics),
    ("/studies/{study}/metadata", check_metadata_list),
    # --- Orthanc REST: series ---
    ("/series/{series}", check_series_json),
    ("/series/{series}/instances", check_series_instances),
    ("/series/{series}/ordered-slices", check_ordered_slices),
    ("/series/{series}/study", check_is_study),
    ("/series/{series}/shared-tags?simplify", check_simplified_series_uid),
    ("/series/{series}/module?simplify", check_simplified_series_uid),
    ("/series/{series}/statistics", check_series_statistics),
    ("/series/{series}/numpy", check_bytes_same),
    # --- Orthanc REST: instance ---
    ("/instances/{instance}", check_instance_json),
    ("/instances/{instance}/tags", check_full_tags),

    ("/instances/{instance}/tags?simplify", check_simplified_instance),
    ("/instances/{instance}/simplified-tags", check_simplified_instance),
    ("/instances/{instance}/header?simplify", check_header),
    ("/instances/{instance}/preview", check_png_same),
    ("/instances/{instance}/rendered", check_png_same),
    ("/instances/{instance}/frames", check_frames),
    ("/instances/{instance}/frames/0/preview", check_png_same),
    ("/instances/{instance}/frames/0/rendered", check_png_same),
    ("/instances/{instance}/frames/0/raw", check_bytes_same),
    ("/instances/{instance}/frames/0/image-uint8", check_png_same),
    ("/instances/{instance}/image-uint8", check_png_same),
    ("/instances/{instance}/image-uint16", check_png_same),
    ("/instances/{instance}/image-int16", check_png_same),
    ("/instances/{instance}/numpy", check_bytes_same),
    ("/instances/{instance}/content/0020-000d", check_content_study_uid),
    ("/instances/{instance}/study", check_is_study),
    ("/instances/{instance}/series", check_is_series),
    ("/instances/{instance}/module?simplify", check_instance_module),
    ("/instances/{instance}/statistics", check_statistics_object),
    ("/instances/{instance}/metadata/IndexInSeries", check_index_in_series),
    # --- DICOMweb WADO-RS ---
    ("/dicom-web/studies/{study_uid}/metadata", check_study_metadata),
    ("/dicom-web/studies/{study_uid}/rendered", check_jpeg),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/metadata", check_series_metadata),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/rendered", check_jpeg),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/rendered?viewport=128,128", check_jpeg),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/metadata",
     check_instance_metadata),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/rendered",
     check_jpeg),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/frames/1",
     check_multipart_frame),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/frames/1/rendered",
     check_jpeg),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/frames/1/rendered"
     "?window=1024,4096,linear", check_jpeg),
    # --- DICOMweb QIDO-RS, path-scoped and filtered by a granted UID ---
    ("/dicom-web/studies/{study_uid}/series", check_qido_study_series),
    ("/dicom-web/studies/{study_uid}/series?includefield=00080021,00080031,0008103E,00200011",
     check_qido_study_series),
    ("/dicom-web/studies/{study_uid}/instances", check_qido_study_instances),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances", check_qido_series_instances),
    ("/dicom-web/studies?StudyInstanceUID={study_uid}", check_qido_one_study),
    ("/dicom-web/studies?0020000D={study_uid}", check_qido_one_study),
    ("/dicom-web/studies?0020000d={study_uid}&includefield=00081030", check_qido_one_study),
    ("/dicom-web/studies?StudyInstanceUID={study_uid}&limit=101&offset=0&fuzzymatching=false"
     "&includefield=00081030%2C00080060", check_qido_one_study),
    ("/dicom-web/series?0020000D={study_uid}&includefield=00081030,00200011", check_qido_study_series),
    ("/dicom-web/series?0020000D={study_uid}&0020000E={series_uid}", check_qido_one_series),
    ("/dicom-web/instances?0020000D={study_uid}&0020000E={series_uid}&includefield=00080016&limit=1",
     check_qido_one_instance_of_series),
    ("/dicom-web/instances?0020000D={study_uid}&0020000E={series_uid}", check_qido_series_instances),
    ("/dicom-web/instances?StudyInstanceUID={study_uid}", check_qido_study_instances),
    # --- WADO-URI as a rendered image (JPEG when contentType is absent) ---
    ("/wado?requestType=WADO&studyUID={study_uid}&seriesUID={series_uid}&objectUID={instance_uid}"
     "&contentType=image/jpeg", check_any_image),
    ("/wado?requestType=WADO&objectUID={instance_uid}", check_any_image),
    ("/wado?requestType=WADO&objectUID={instance_uid}&contentType=image/png", check_any_image),
    ("/wado?requestType=WADO&objectUID={instance_uid}&contentType=application/dicom&contentType=image/jpeg",
     check_any_image),
    # --- Orthanc Web Viewer ---
    ("/web-viewer/series/{series}", check_webviewer_series),
    ("/web-viewer/is-stable-series/{series}", check_webviewer_stable),
    ("/web-viewer/instances/jpeg95-{instance}_0", check_webviewer_instance),
    ("/web-viewer/instances/deflate-{instance}_0", check_webviewer_instance),
]

ROUTE_IDS = [t for t, _ in STUDY_ROUTES]

# The DICOM objects themselves (docs/permissions.md): a View share never gets
# them, a Download share does, and each request is one audit event.
DICOM_OBJECT_ROUTES = [
    ("/instances/{instance}/file", check_dicom_file),
    ("/dicom-web/studies/{study_uid}", check_multipart_study),
    ("/dicom-web/studies/{study_uid}/", check_multipart_study),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}", check_multipart_series),
    ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}",
     check_multipart_instance),
    ("/wado?requestType=WADO&studyUID={study_uid}&seriesUID={series_uid}&objectUID={instance_uid}"
     "&contentType=application/dicom", check_dicom_file),
    ("/wado?requestType=WADO&objectUID={instance_uid}&contentType=application/dicom", check_dicom_file),
    ("/wado?requestType=WADO&objectUID={instance_uid}&contentType=image/jpeg&contentType=application/dicom",
     check_dicom_file),
]

DICOM_OBJECT_IDS = [t for t, _ in DICOM_OBJECT_ROUTES]


# The whole table runs three times: deciding in-process ("local"), through
# studyshare-service ("remote", both real processes), and in-process on the
# PostgreSQL store ("postgresql"); the answers must agree.
@pytest.fixture(scope="module", params=["local", "remote", "postgresql"])
def env(request, env):
    if request.param == "local":
        return env
    return request.getfixturevalue(request.param + "_env")


@pytest.fixture(scope="module")
def token_a(env):
    return env.shared_token("view-A", "A")


@pytest.fixture(scope="module")
def token_a_download(env):
    return env.shared_token("download-A", "A", Permissions=["View", "Download"])


# --------------------------------------------------------------------------
# 1. Granted: every route family on study A, with the body checked.

@pytest.mark.parametrize("template,check", STUDY_ROUTES, ids=ROUTE_IDS)
def test_view_share_opens_study_a(env, token_a, template, check):
    c = ctx_for(env, "A")
    path = fill(template, c)
    r = env.get(path, token=token_a)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    check(r, c, env, path)


@pytest.mark.parametrize("series_index,instance_index", [(0, 2), (1, 0), (1, 2)])
def test_view_share_opens_every_series_and_instance(env, token_a, series_index, instance_index):
    c = ctx_for(env, "A", series_index, instance_index)
    for template, check in [
        ("/series/{series}", check_series_json),
        ("/instances/{instance}/tags", check_full_tags),
        ("/dicom-web/studies/{study_uid}/series/{series_uid}/instances/{instance_uid}/metadata",
         check_instance_metadata),
        ("/web-viewer/series/{series}", check_webviewer_series),
    ]:
        path = fill(template, c)
        r = env.get(path, token=token_a)
        assert r.status_code == 200, (path, r.status_code)
        check(r, c, env, path)


def test_system_is_open_to_share_holders(env, token_a):
    r = env.get("/system", token=token_a)
    assert r.status_code == 200
    assert r.json()["Version"].startswith("1.")


def test_webviewer_static_without_token(env):
    r = env.get("/web-viewer/app/viewer.html")
    assert r.status_code == 200 and b"<html" in r.content.lower()
    r = env.get("/web-viewer/libs/jquery.js")
    assert r.status_code == 200


# --------------------------------------------------------------------------
# 2. Denied: the same routes on study B (same patient) and C (other patient).

@pytest.mark.parametrize("other", ["B", "C"])
@pytest.mark.parametrize("template,check", STUDY_ROUTES, ids=ROUTE_IDS)
def test_view_share_of_a_refuses_other_studies(env, token_a, template, check, other):
    c = ctx_for(env, other)
    path = fill(template, c)
    # Sanity: the route does serve this study to the admin (so 403 is the gate).
    assert env.admin_get(path).status_code == 200, path
    r = env.get(path, token=token_a)
    assert r.status_code == 403, (path, r.status_code, r.text[:200])
    assert c["study_uid"].encode() not in r.content


# --------------------------------------------------------------------------
# 2b. DICOM objects need Download (rule 2); each retrieval is audited once.

def download_events(env, share_id):
    r = env.admin_get("/studyshare/shares/%s/audit" % share_id)
    assert r.status_code == 200, (r.status_code, r.text[:200])
    return [e for e in r.json() if e["Event"] == "download"]


@pytest.mark.parametrize("template,check", DICOM_OBJECT_ROUTES, ids=DICOM_OBJECT_IDS)
def test_view_share_refuses_dicom_objects(env, token_a, template, check):
    c = ctx_for(env, "A")
    path = fill(template, c)
    assert env.admin_get(path).status_code == 200, path
    r = env.get(path, token=token_a)
    assert r.status_code == 403, (path, r.status_code, r.text[:200])
    assert c["instance_uid"].encode() not in r.content


@pytest.mark.parametrize("template,check", DICOM_OBJECT_ROUTES, ids=DICOM_OBJECT_IDS)
def test_download_share_retrieves_dicom_objects_audited(env, template, check):
    share = env.create_share("A", Permissions=["View", "Download"])
    c = ctx_for(env, "A")
    path = fill(template, c)
    r = env.get(path, token=share["Token"])
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    check(r, c, env, path)
    assert len(download_events(env, share["ID"])) == 1, path


@pytest.mark.parametrize("other", ["B", "C"])
@pytest.mark.parametrize("template,check", DICOM_OBJECT_ROUTES, ids=DICOM_OBJECT_IDS)
def test_download_share_refuses_dicom_objects_of_other_studies(env, token_a_download, template, check, other):
    c = ctx_for(env, other)
    path = fill(template, c)
    r = env.get(path, token=token_a_download)
    assert r.status_code == 403, (path, r.status_code, r.text[:200])
    assert c["instance_uid"].encode() not in r.content


def test_rendered_images_are_not_audited_as_downloads(env):
    share = env.create_share("A", Permissions=["View", "Download"])
    c = ctx_for(env, "A")
    for template in ["/instances/{instance}/preview", "/wado?requestType=WADO&objectUID={instance_uid}",
                     "/dicom-web/studies/{study_uid}/metadata"]:
        assert env.get(fill(template, c), token=share["Token"]).status_code == 200, template
    assert download_events(env, share["ID"]) == []


# --------------------------------------------------------------------------
# 3. Hierarchy is checked, not trusted (rule 3).

HIERARCHY_TRICKS = [
    "/dicom-web/studies/{A[study_uid]}/series/{B[series_uid]}",
    "/dicom-web/studies/{A[study_uid]}/series/{B[series_uid]}/metadata",
    "/dicom-web/studies/{A[study_uid]}/series/{B[series_uid]}/rendered",
    "/dicom-web/studies/{A[study_uid]}/series/{B[series_uid]}/instances",
    "/dicom-web/studies/{A[study_uid]}/series/{C[series_uid]}/metadata",
    "/dicom-web/studies/{A[study_uid]}/series/{A[series_uid]}/instances/{B[instance_uid]}",
    "/dicom-web/studies/{A[study_uid]}/series/{A[series_uid]}/instances/{B[instance_uid]}/metadata",
    "/dicom-web/studies/{A[study_uid]}/series/{A[series_uid]}/instances/{B[instance_uid]}/frames/1",
    "/dicom-web/studies/{A[study_uid]}/series/{A[series_uid]}/instances/{C[instance_uid]}/rendered",
    "/dicom-web/studies/{B[study_uid]}/series/{A[series_uid]}",
    "/dicom-web/studies/{B[study_uid]}/series/{A[series_uid]}/instances/{A[instance_uid]}",
    "/wado?requestType=WADO&studyUID={A[study_uid]}&seriesUID={A[series_uid]}&objectUID={B[instance_uid]}"
    "&contentType=application/dicom",
    "/wado?requestType=WADO&studyUID={A[study_uid]}&objectUID={B[instance_uid]}&contentType=application/dicom",
    "/wado?requestType=WADO&objectUID={C[instance_uid]}&contentType=application/dicom",
    "/wado?requestType=WADO&studyUID={A[study_uid]}&objectUID={A[instance_uid]}&objectUID={B[instance_uid]}"
    "&contentType=application/dicom",
    "/wado?requestType=WADO&objectUID={B[instance_uid]}&objectUID={A[instance_uid]}"
    "&contentType=application/dicom",
    "/wado?requestType=WADO&studyUID={B[study_uid]}&studyUID={A[study_uid]}&objectUID={A[instance_uid]}"
    "&contentType=application/dicom",
    "/wado?requestType=WADO&studyuid={A[study_uid]}&objectUID={B[instance_uid]}&contentType=application/dicom",
    "/dicom-web/series?0020000D={A[study_uid]}&0020000E={B[series_uid]}",
    "/dicom-web/instances?0020000D={A[study_uid]}&0020000E={B[series_uid]}",
    "/dicom-web/instances?0020000D={A[study_uid]}&SOPInstanceUID={B[instance_uid]}",
]


@pytest.mark.parametrize("template", HIERARCHY_TRICKS)
def test_hierarchy_tricks_are_refused(env, token_a_download, template):
    # The widest share of A: the DICOM-object tricks would be refused to View alone anyway.
    path = template.format(A=ctx_for(env, "A"), B=ctx_for(env, "B"), C=ctx_for(env, "C"))
    r = env.get(path, token=token_a_download)
    assert r.status_code == 403, (path, r.status_code, r.text[:200])


# --------------------------------------------------------------------------
# 4. What a share never grants (rule 4).

NEVER_GRANTED_GET = [
    # patient level
    "/patients", "/patients/", "/patients/{patient}", "/patients/{patient}/studies",
    "/patients/{patient}/instances", "/patients/{patient}/archive", "/patients/{patient}/shared-tags",
    "/studies/{study}/patient", "/series/{series}/patient", "/instances/{instance}/patient",
    # lists of all resources
    "/studies", "/studies/", "/studies?expand", "/studies?limit=1&since=0", "/series", "/instances",
    "/series?expand",
    # QIDO without a granted study filter
    "/dicom-web/studies", "/dicom-web/studies/", "/dicom-web/series", "/dicom-web/instances",
    "/dicom-web/studies?PatientID={patient_id}", "/dicom-web/studies?00100020={patient_id}",
    "/dicom-web/studies?00100020=*SS-P1*&limit=101&offset=0&fuzzymatching=false"
    "&includefield=00081030%2C00080060",
    "/dicom-web/series?PatientID={patient_id}", "/dicom-web/instances?PatientID={patient_id}",
    "/dicom-web/studies?studyinstanceuid={study_uid}",
    "/dicom-web/studies?STUDYINSTANCEUID={study_uid}",
    "/dicom-web/studies?StudyInstanceUID={study_uid},{B_study_uid}",
    "/dicom-web/studies?StudyInstanceUID={study_uid}%2C{B_study_uid}",
    "/dicom-web/studies?StudyInstanceUID={study_uid}%2c{B_study_uid}",
    "/dicom-web/studies?StudyInstanceUID={study_uid}%5C{B_study_uid}",
    "/dicom-web/studies?StudyInstanceUID={study_uid}&StudyInstanceUID=",
    "/dicom-web/studies?StudyInstanceUID={study_uid}&StudyInstanceUID",
    "/dicom-web/studies?StudyInstanceUID={study_uid}&0020000D=",
    "/dicom-web/studies?StudyInstanceUID={study_uid}&StudyInstanceUID={B_study_uid}",
    "/dicom-web/studies?StudyInstanceUID={B_study_uid}&StudyInstanceUID={study_uid}",
    "/dicom-web/studies?StudyInstanceUID=",
    "/dicom-web/studies?StudyInstanceUID",
    "/dicom-web/studies?StudyInstanceUID=*",
    "/dicom-web/studies?StudyInstanceUID=1.2*",
    "/dicom-web/studies?SeriesInstanceUID={series_uid}",
    "/dicom-web/studies?SOPInstanceUID={instance_uid}",
    "/dicom-web/series?SOPInstanceUID={instance_uid}",
    "/dicom-web/series?0020000D=",
    "/dicom-web/series?studyinstanceuid={study_uid}",
    "/dicom-web/instances?0020000D={study_uid}&0020000D=",
    # tools, changes, jobs, modalities, peers, plugins, explorer, webdav...
    "/tools/find", "/tools/lookup", "/tools/now", "/tools/generate-uid", "/tools/log-level",
    "/tools/create-archive?resources={study}", "/tools/create-media?resources={study}",
    "/changes", "/changes?since=0&limit=100", "/exports", "/jobs", "/jobs?expand",
    "/modalities", "/peers", "/plugins", "/plugins/dicom-web", "/statistics", "/queries",
    # (/, /app/* and /plugins/explorer.js are Orthanc Explorer's public shell, issue 20)
    "/webdav/", "/webdav/by-uids",
    "/webdav/by-studies", "/dicom-web/servers", "/dicom-web/app/client/index.html",
    "/studyshare/shares", "/studyshare/metrics",
    # routes below a study that a share does not need
    "/studies/{study}/attachments", "/instances/{instance}/attachments",
    "/instances/{instance}/attachments/dicom/data", "/studies/{study}/ohif-dicom-json/../../../patients",
    # archive and media need Download
    "/studies/{study}/archive", "/studies/{study}/media", "/series/{series}/archive",
    "/series/{series}/media",
    # ids of another case / shape
    "/studies/{study_upper}", "/STUDIES/{study}", "/Studies/{study}", "/DICOM-WEB/studies/{study_uid}",
    "/dicom-web/STUDIES/{study_uid}",
    "/web-viewer/instances/jpeg95-{B_instance}_0",
]


def ctx_with_extras(env):
    c = ctx_for(env, "A")
    b = ctx_for(env, "B")
    c["B_study_uid"] = b["study_uid"]
    c["B_instance"] = b["instance"]
    c["study_upper"] = c["study"].upper()
    return c


@pytest.mark.parametrize("template", NEVER_GRANTED_GET)
def test_share_never_grants(env, token_a_download, template):
    # A share with View *and* Download: even the widest share gets none of these.
    path = fill(template, ctx_with_extras(env))
    if "/archive" in path or "/media" in path:
        token = env.shared_token("view-A", "A")  # Download is tested below
    else:
        token = token_a_download
    r = env.get(path, token=token)
    assert r.status_code == 403, (path, r.status_code, r.text[:200])


@pytest.mark.parametrize("via", ["bearer", "header", "arg"])
def test_never_granted_whatever_the_transport(env, token_a, via):
    for path in ["/patients", "/studies", "/dicom-web/studies", "/tools/find", "/changes"]:
        r = env.get(path, token=token_a, via=via)
        assert r.status_code == 403, (via, path, r.status_code)


@pytest.mark.parametrize("method,path", [
    ("PROPFIND", "/webdav/"),
    ("PROPFIND", "/webdav/by-uids/"),
    ("PROPFIND", "/webdav/by-studies/"),
    ("OPTIONS", "/webdav/"),
    ("HEAD", "/webdav/by-uids"),
    ("HEAD", "/patients"),
    ("HEAD", "/studies"),
    ("HEAD", "/studies/{B_study}"),
    ("OPTIONS", "/patients"),
])
def test_webdav_and_read_like_methods_refused(env, token_a, method, path):
    c = ctx_with_extras(env)
    c["B_study"] = ctx_for(env, "B")["study"]
    path = fill(path, c)
    r = env.request(method, path, token=token_a, headers={"Depth": "1"})
    assert r.status_code == 403, (method, path, r.status_code, r.text[:200])


# --------------------------------------------------------------------------
# 5. Download permission gates archive/media.

DOWNLOAD_ROUTES = ["/studies/{study}/archive", "/studies/{study}/media",
                   "/series/{series}/archive", "/series/{series}/media"]


@pytest.mark.parametrize("template", DOWNLOAD_ROUTES)
def test_download_share_opens_archive_and_media(env, token_a_download, template):
    c = ctx_for(env, "A")
    path = fill(template, c)
    r = env.get(path, token=token_a_download)
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    assert r.content.startswith(b"PK\x03\x04")
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = z.namelist()
        dicoms = [n for n in names if not n.upper().endswith("DICOMDIR")]
        blobs = b"".join(z.read(n) for n in dicoms)
    expected = c["instance_uids"] if template.startswith("/studies") else c["series_instance_uids"]
    assert len(dicoms) == len(expected)
    contains_all(blobs, expected)


@pytest.mark.parametrize("other", ["B", "C"])
@pytest.mark.parametrize("template", DOWNLOAD_ROUTES)
def test_download_share_refuses_other_archives(env, token_a_download, template, other):
    r = env.get(fill(template, ctx_for(env, other)), token=token_a_download)
    assert r.status_code == 403


# --------------------------------------------------------------------------
# 6. No share ever writes (rule 4), whatever the method spelling.

def _study_instance_count(env, key):
    r = env.admin_get("/studies/%s/instances" % env.study(key)["id"])
    assert r.status_code == 200
    return len(r.json())


WRITES = [
    ("DELETE", "/studies/{study}", None, None),
    ("DELETE", "/series/{series}", None, None),
    ("DELETE", "/instances/{instance}", None, None),
    ("POST", "/studies/{study}/modify", {"Replace": {"StudyDescription": "hacked"}}, None),
    ("POST", "/studies/{study}/anonymize", {}, None),
    ("POST", "/series/{series}/modify", {"Replace": {"SeriesDescription": "hacked"}}, None),
    ("POST", "/instances/{instance}/modify", {"Replace": {"PatientName": "X"}}, None),
    ("POST", "/instances/{instance}/anonymize", {}, None),
    ("PUT", "/studies/{study}/metadata/1024", "hacked", None),
    ("PUT", "/instances/{instance}/metadata/1024", "hacked", None),
    ("DELETE", "/studies/{study}/metadata/1024", None, None),
    ("POST", "/studies/{study}/archive", {"Asynchronous": True}, None),
    ("POST", "/studies/{study}/media", {}, None),
    ("POST", "/tools/find", {"Level": "Study", "Query": {}}, None),
    ("POST", "/tools/lookup", "{study_uid}", None),
    ("POST", "/tools/create-archive", {"Resources": ["{study}"]}, None),
    ("POST", "/dicom-web/studies", b"", {"Content-Type": "multipart/related; type=application/dicom"}),
    ("POST", "/dicom-web/studies/{study_uid}", b"", {"Content-Type": "multipart/related; type=application/dicom"}),
    ("POST", "/studyshare/shares", {"Resources": [{"Level": "Study", "OrthancId": "{study}"}]}, None),
    ("PUT", "/webdav/uploads/x.dcm", b"xx", None),
    ("MKCOL", "/webdav/uploads/newdir", None, None),
    ("GET", "/instances/{instance}", None, {"X-HTTP-Method-Override": "DELETE"}),
    ("GET", "/studies/{study}", None, {"X-HTTP-Method-Override": "DELETE"}),
    ("GET", "/studies/{study}", None, {"x-http-method-override": "delete"}),
    ("POST", "/studies/{study}", None, {"X-HTTP-Method-Override": "DELETE"}),
    ("POST", "/studies/{study}/metadata/1024", "hacked", {"X-HTTP-Method-Override": "PUT"}),
    ("GET", "/instances/{instance}?_method=DELETE", None, None),
    ("GET", "/studies/{study}?_method=delete", None, None),
    ("GET", "/instances/{instance}?_method=DELETE&_method=GET", None, None),
    ("GET", "/studies/{study}/metadata/1024?_method=PUT", None, None),
]


def _materialize(value, c):
    if isinstance(value, str):
        return fill(value, c)
    if isinstance(value, dict):
        return {k: _materialize(v, c) for k, v in value.items()}
    if isinstance(value, list):
        return [_materialize(v, c) for v in value]
    return value


@pytest.mark.parametrize("method,template,body,headers", WRITES,
                         ids=["%s %s %s" % (m, t, json.dumps(h) if h else "") for m, t, _, h in WRITES])
def test_share_never_writes(env, token_a_download, method, template, body, headers):
    c = ctx_for(env, "A")
    path = fill(template, c)
    before_a = _study_instance_count(env, "A")
    kwargs = {}
    body = _materialize(body, c)
    if isinstance(body, (dict, list)):
        kwargs["json"] = body
    elif body is not None:
        kwargs["data"] = body
    r = env.request(method, path, token=token_a_download, headers=headers, **kwargs)
    assert r.status_code == 403, (method, path, headers, r.status_code, r.text[:300])
    # Nothing changed: the study is whole, its description intact, no metadata 1024.
    assert _study_instance_count(env, "A") == before_a == 6
    assert env.admin_get("/instances/%s" % c["instance"]).status_code == 200
    study = env.admin_get("/studies/%s" % c["study"]).json()
    assert study["MainDicomTags"]["StudyDescription"] == "CT CHEST"
    assert env.admin_get("/studies/%s/metadata/1024" % c["study"]).status_code == 404
    assert env.admin_get("/instances/%s/metadata/1024" % c["instance"]).status_code == 404


def test_share_cannot_upload(env, token_a_download, fixture_files):
    out, manifest = fixture_files
    before = len(env.admin_get("/instances").json())
    c_file = os.path.join(str(out), manifest["Studies"][2]["Files"][0])
    with open(c_file, "rb") as f:
        data = f.read()
    r = env.request("POST", "/instances", token=token_a_download, data=data,
                    headers={"Content-Type": "application/dicom"})
    assert r.status_code == 403
    assert len(env.admin_get("/instances").json()) == before


# --------------------------------------------------------------------------
# 7. Path tricks, sent raw (no client-side normalization).

def raw_get(env, path, token):
    return env.raw("GET", path, headers={"Authorization": "Bearer " + token})


RAW_DENIED = [
    "/studies/{A}/../{B}",
    "/studies/{A}/../../patients",
    "/studies/x/../../patients",
    "/studies/{A}/..",
    "/studies/{A}/../",
    "/studies/{A}%2F..%2F{B}",
    "/studies/{A}%2f..%2f..%2fpatients",
    "/studies/{A}/%2e%2e/{B}",
    "/studies/{A}/.%2e/{B}",
    "/studies/{A}/%2E%2E%2F{B}",
    "/studies/{A}/..%2F{B}",
    "/studies/{A}\\..\\{B}",
    "/studies/{A}%5C..%5C{B}",
    "/studies/{A}%5c..%5c..%5cpatients",
    "/studies%00/{A}",
    "/studies/{B}%00/{A}",
    "//studies",
    "/../studies",
    "/patients/../../studies",
    "/studies/./{B}",
    "/studies//{B}",
    "/studies/%2532{A_tail}",
    "/studies/{A_upper}",
    "/studies/{A_upper}/series",
    "/series/{sB}/../../studies/{B}",
    "/instances/{iA}/../../instances/{iB}/file",
    "/dicom-web/studies/{uA}/../{uB}",
    "/dicom-web/studies/{uA}/../{uB}/metadata",
    "/dicom-web/studies/{uA}%2F..%2F{uB}/metadata",
    "/dicom-web/studies/{uA}/series/{usA}/../../../{uB}/metadata",
    "/dicom-web//studies",
    "/dicom-web/studies/{uA}/series/..%2F..%2F..%2Fstudies",
    "/web-viewer/app/../../patients",
    "/web-viewer/app/%2e%2e/%2e%2e/studies",
    "/web-viewer/libs/..%2F..%2Fpatients",
    "/share/../patients",
    "/share/%2e%2e/studies/{B}",
    "/stone-webviewer/..%5Cstudies",
    "/wado/../patients",
]


def raw_ctx(env):
    a, b = ctx_for(env, "A"), ctx_for(env, "B")
    return {
        "A": a["study"], "B": b["study"], "A_upper": a["study"].upper(),
        "A_tail": a["study"][1:],  # %25 + '3' + ... : double-encoded first character
        "sB": b["series"], "iA": a["instance"], "iB": b["instance"],
        "uA": a["study_uid"], "uB": b["study_uid"], "usA": a["series_uid"],
    }


@pytest.mark.parametrize("template", RAW_DENIED)
def test_raw_path_tricks_are_refused(env, token_a, template):
    c = raw_ctx(env)
    if template == "/studies/%2532{A_tail}":
        # "%25" + hex of the first char: after one decoding "%3x..." remains, never an id.
        first = c["A"][0]
        path = "/studies/%25" + ("%02X" % ord(first)) + c["A_tail"]
    else:
        path = template.format(**c)
    status, _, body = raw_get(env, path, token_a)
    assert status == 403, (path, status, body[:200])
    assert ctx_for(env, "B")["study_uid"].encode() not in body


@pytest.mark.parametrize("template", [
    "/studies/{B}/../{A}",
    "/studies/x/../{A}",
    "/studies/./{A}",
    "/studies//{A}",
    "//studies/{A}",
    "/patients/../studies/{A}",
    "/studies/{B}%2F..%2F{A}",
    "/studies/{A_first_encoded}",
])
def test_raw_paths_normalized_to_study_a_are_study_a(env, token_a, template):
    """The gate decides on the path as Orthanc routes it: a path that
    normalizes to /studies/{A} is study A (and its answer is study A)."""
    c = raw_ctx(env)
    c["A_first_encoded"] = "%%%02X" % ord(c["A"][0]) + c["A"][1:]
    path = template.format(**c)
    status, _, body = raw_get(env, path, token_a)
    assert status == 200, (path, status, body[:200])
    answer = json.loads(body)
    assert answer["ID"] == c["A"]


@pytest.mark.parametrize("path", [
    "/web-viewer/app/../../patients",
    "/web-viewer/app/%2e%2e/%2e%2e/studies",
    "/web-viewer/app/..%2F..%2Fstudies/{A}",
    "/web-viewer/libs/..%5C..%5Cpatients",
    "/share/../patients",
    "/share/..%2Fstudies/{A}",
    "/share/api/..%2F..%2Fstudies",
    "/stone-webviewer/../studies/{A}",
    "/ohif/..%2Fstudies/{A}",
    "/osimis-viewer/app/%2e%2e/%2e%2e/studies/{A}",
    "/volview/../dicom-web/studies",
])
def test_anonymous_public_prefix_tricks_refused(env, path):
    c = raw_ctx(env)
    path = path.format(**c)
    status, _, body = env.raw("GET", path)
    assert status == 403, (path, status, body[:200])


# --------------------------------------------------------------------------
# 8. Token transport.

@pytest.mark.parametrize("via", ["bearer", "header", "arg"])
def test_token_transports_are_accepted(env, token_a, via):
    c = ctx_for(env, "A")
    r = env.get("/studies/%s" % c["study"], token=token_a, via=via)
    assert r.status_code == 200 and r.json()["ID"] == c["study"]
    r = env.get("/dicom-web/studies/%s/metadata" % c["study_uid"], token=token_a, via=via)
    assert r.status_code == 200
    r = env.get("/web-viewer/series/%s" % c["series"], token=token_a, via=via)
    assert r.status_code == 200
    # ...and the transport never widens the share.
    r = env.get("/studies/%s" % ctx_for(env, "B")["study"], token=token_a, via=via)
    assert r.status_code == 403


def test_bearer_scheme_is_case_insensitive(env, token_a):
    c = ctx_for(env, "A")
    r = env.get("/studies/%s" % c["study"], headers={"Authorization": "bearer " + token_a})
    assert r.status_code == 200


def test_same_token_twice_is_fine(env, token_a):
    c = ctx_for(env, "A")
    r = env.get("/studies/%s" % c["study"], headers={"Authorization": "Bearer " + token_a, "token": token_a},
                params={"token": token_a})
    assert r.status_code == 200


def test_conflicting_tokens_are_refused(env, token_a):
    token_c = env.shared_token("view-C", "C")
    c = ctx_for(env, "A")
    path = "/studies/%s" % c["study"]
    assert env.get(path, headers={"Authorization": "Bearer " + token_a, "token": token_c}).status_code == 403
    assert env.get(path, headers={"Authorization": "Bearer " + token_a},
                   params={"token": token_c}).status_code == 403
    assert env.get(path, headers={"token": token_c}, params={"token": token_a}).status_code == 403
    assert env.get(path, params=[("token", token_a), ("token", token_c)]).status_code == 403
    # A garbage second token also makes the request ambiguous.
    assert env.get(path, headers={"Authorization": "Bearer " + token_a, "token": "garbage"}).status_code == 403


@pytest.mark.parametrize("value", ["", "Bearer", "Bearer ", "Bearer garbage", "Bearer a.b.c",
                                   "Bearer eyJhbGciOiJub25lIn0.eyJqdGkiOiJ4In0."])
def test_bad_bearer_values_are_refused(env, value):
    c = ctx_for(env, "A")
    r = env.get("/studies/%s" % c["study"], headers={"Authorization": value})
    assert r.status_code == 403


# --------------------------------------------------------------------------
# 9. Shares that need a challenge open nothing at the gate (rule 6).

@pytest.mark.parametrize("fields", [
    {"Password": "secret-pw"},
    {"AccessCode": True},
    {"MaxUses": 3},
    {"RequireBirthDate": True},
], ids=["password", "access-code", "max-uses", "birth-date"])
def test_protected_share_token_opens_nothing(env, fields):
    share = env.create_share("A", **fields)
    c = ctx_for(env, "A")
    for path in ["/studies/%s" % c["study"], "/instances/%s/file" % c["instance"],
                 "/dicom-web/studies/%s/metadata" % c["study_uid"]]:
        for via in ["bearer", "header", "arg"]:
            r = env.get(path, token=share["Token"], via=via)
            assert r.status_code == 403, (fields, path, via, r.status_code)


# --------------------------------------------------------------------------
# 10. Shares of several studies, and by DICOM UID.

def test_share_of_two_studies(env):
    token = env.create_share("A", "C")["Token"]
    for key, expected in [("A", 200), ("C", 200), ("B", 403)]:
        c = ctx_for(env, key)
        assert env.get("/studies/%s" % c["study"], token=token).status_code == expected, key
        assert env.get("/dicom-web/studies/%s/metadata" % c["study_uid"], token=token).status_code == expected
    a, cc = ctx_for(env, "A"), ctx_for(env, "C")
    # Both granted studies in one QIDO: every named UID is granted.
    r = env.get("/dicom-web/studies?StudyInstanceUID=%s,%s" % (a["study_uid"], cc["study_uid"]), token=token)
    assert r.status_code in (200, 403)  # either answer is safe; if 200, only A and C
    if r.status_code == 200:
        assert sorted(dicom_tag(e, "0020000D") for e in r.json()) == sorted([a["study_uid"], cc["study_uid"]])
    # Patient-level stays closed even though the share spans two patients.
    assert env.get("/patients", token=token).status_code == 403


def test_share_by_dicom_uid(env):
    token = env.create_share("B", by="DicomUid")["Token"]
    b = ctx_for(env, "B")
    r = env.get("/studies/%s" % b["study"], token=token)
    assert r.status_code == 200 and r.json()["ID"] == b["study"]
    assert env.get("/studies/%s" % ctx_for(env, "A")["study"], token=token).status_code == 403


# --------------------------------------------------------------------------
# 11. Anonymous requests and public routes (rule 1).

ANONYMOUS_DENIED = [
    "/studies/{study}", "/studies/{study}/series", "/series/{series}", "/instances/{instance}/file",
    "/instances/{instance}/preview", "/dicom-web/studies/{study_uid}/metadata",
    "/dicom-web/studies?StudyInstanceUID={study_uid}",
    "/wado?requestType=WADO&objectUID={instance_uid}&contentType=application/dicom",
    "/web-viewer/series/{series}", "/web-viewer/instances/jpeg95-{instance}_0", "/system", "/patients",
    "/studies", "/webdav/", "/tools/find", "/studyshare/shares",
    "/studyshare/metrics", "/plugins", "/plugins/dicom-web", "/dicom-web/app/client/index.html",
]


@pytest.mark.parametrize("template", ANONYMOUS_DENIED)
def test_anonymous_is_refused(env, template):
    r = env.get(fill(template, ctx_for(env, "A")))
    assert r.status_code == 403, (template, r.status_code)


@pytest.mark.parametrize("method,path", [
    ("GET", "/share/"), ("GET", "/share/index.html"), ("GET", "/share/app/index.html"),
    ("POST", "/share/api/open"),
    # Orthanc Explorer's shell and the plugins' extension scripts (issue 20):
    # static files, no patient data; the shell's first refused call sends
    # the browser to the sign-in page.
    ("GET", "/"), ("GET", "/app/explorer.html"), ("GET", "/app/explorer.js"), ("GET", "/plugins/explorer.js"),
])
def test_share_pages_are_public(env, method, path):
    r = env.request(method, path, json={"Token": "x"} if method == "POST" else None)
    assert r.status_code != 403, (method, path, r.status_code)
    assert r.status_code < 500, (method, path, r.status_code)


def test_anonymous_writes_refused(env):
    c = ctx_for(env, "A")
    assert env.request("DELETE", "/studies/%s" % c["study"]).status_code == 403
    assert env.request("GET", "/instances/%s?_method=DELETE" % c["instance"]).status_code == 403
    assert env.request("POST", "/studyshare/shares", json={}).status_code == 403
    assert env.admin_get("/studies/%s" % c["study"]).status_code == 200


# --------------------------------------------------------------------------
# 12. Staff.

@pytest.mark.parametrize("method,template", [
    ("GET", "/patients"), ("GET", "/patients/{patient}"), ("GET", "/studies"), ("GET", "/studies/{B_study}"),
    ("GET", "/studies/{study}/archive"), ("GET", "/app/explorer.html"), ("GET", "/changes"),
    ("GET", "/dicom-web/studies"), ("GET", "/plugins"), ("GET", "/jobs"), ("GET", "/system"),
    ("GET", "/studyshare/shares"), ("GET", "/studyshare/metrics"), ("PROPFIND", "/webdav/"),
    ("POST", "/tools/find"),
])
def test_admin_basic_gets_everything(env, method, template):
    c = ctx_with_extras(env)
    c["B_study"] = ctx_for(env, "B")["study"]
    path = fill(template, c)
    kwargs = {"json": {"Level": "Study", "Query": {}}} if method == "POST" else {}
    r = env.admin(method, path, headers={"Depth": "1"}, **kwargs)
    assert r.status_code in (200, 207), (method, path, r.status_code)
    if path == "/patients":
        assert len(r.json()) >= 2


@pytest.mark.parametrize("auth", [("admin", "wrong"), ("admin", ""), ("nobody", "admin-pw"),
                                  ("ADMIN", "admin-pw")])
def test_wrong_staff_credentials_are_refused(env, auth):
    c = ctx_for(env, "A")
    for path in ["/patients", "/studies/%s" % c["study"], "/system"]:
        r = requests.get(env.url + path, auth=auth, timeout=30)
        assert r.status_code == 403, (auth, path, r.status_code)


def test_wrong_basic_credentials_with_a_valid_token_are_refused(env, token_a):
    c = ctx_for(env, "A")
    r = requests.get(env.url + "/studies/%s" % c["study"], auth=("admin", "wrong"),
                     params={"token": token_a}, timeout=30)
    assert r.status_code == 403


def test_gate_metrics_count_decisions(env, token_a):
    before = env.admin_get("/studyshare/metrics", params={"format": "json"}).json()
    env.get("/patients", token=token_a)
    after = env.admin_get("/studyshare/metrics", params={"format": "json"}).json()
    assert after != before


# --------------------------------------------------------------------------
# 13. QIDO filter keys that Orthanc (DCMTK's tag-name parser) reads as
# StudyInstanceUID although they are not spelled "StudyInstanceUID",
# "0020000D" or "0020,000D": "gggg-eeee" (Orthanc's own form) and anything
# sscanf("%x,%x") accepts (short hex, 0x prefixes, signs, trailing text).
# With Orthanc's "last value wins / empty value means no filter" rules, each
# of them widens or redirects a search that names study A.

STUDY_UID_ALIASES = ["0020-000D", "0020-000d", "20,d", "0x20,0xd", "+20,+d", "00020,0000D",
                     "0020,000D,", "0020,000Dxyz", "0020,000d_anything", "0020,000D%20"]


@pytest.mark.parametrize("alias", STUDY_UID_ALIASES)
@pytest.mark.parametrize("search", ["studies", "series", "instances"])
def test_qido_study_uid_alias_cannot_widen_the_search(env, token_a, alias, search):
    a, b = ctx_for(env, "A"), ctx_for(env, "B")
    # The admin sees that Orthanc reads the alias as a StudyInstanceUID filter.
    widened = env.admin_get("/dicom-web/%s?0020000D=%s&%s=" % (search, a["study_uid"], alias))
    assert widened.status_code == 200
    assert len({dicom_tag(e, "0020000D") for e in widened.json()}) > 1
    for value in ["", b["study_uid"]]:
        path = "/dicom-web/%s?0020000D=%s&%s=%s" % (search, a["study_uid"], alias, value)
        r = env.get(path, token=token_a)
        leaked = sorted({dicom_tag(e, "0020000D") for e in r.json()} - {a["study_uid"]}) \
            if r.status_code == 200 else []
        assert r.status_code == 403, (path, r.status_code, "studies leaked: %s" % leaked)


@pytest.mark.parametrize("alias", ["0020-000E", "20,e", "0020,000E,"])
def test_qido_series_uid_alias_cannot_widen_an_instance_search(env, token_a, alias):
    """A search scoped by a granted series only (/dicom-web/instances?0020000E=sA)
    must not be widened by a second, differently spelled SeriesInstanceUID key."""
    a = ctx_for(env, "A")
    base = "/dicom-web/instances?0020000E=%s" % a["series_uid"]
    r = env.get(base, token=token_a)
    assert r.status_code == 200 and len(r.json()) == len(a["series_instance_uids"])
    widened = env.admin_get(base + "&%s=" % alias)
    assert widened.status_code == 200 and len(widened.json()) > len(a["series_instance_uids"])
    r = env.get(base + "&%s=" % alias, token=token_a)
    leaked = sorted({dicom_tag(e, "0020000D") for e in r.json()} - {a["study_uid"]}) \
        if r.status_code == 200 else []
    assert r.status_code == 403, (r.status_code, "studies leaked: %s" % leaked)


# --------------------------------------------------------------------------
# 14. A StudyInstanceUID that designates two studies (two patients): a UID-
# addressed request then reaches the other patient's study too, so it is
# refused; the share's own study stays reachable by its Orthanc id.

def test_study_uid_collision_is_refused(env, token_a):
    import io
    pydicom = pytest.importorskip("pydicom")
    a, c = ctx_for(env, "A"), ctx_for(env, "C")
    uid_paths = ["/dicom-web/studies/%s/metadata" % a["study_uid"],
                 "/dicom-web/studies?StudyInstanceUID=%s" % a["study_uid"],
                 "/dicom-web/series?0020000D=%s" % a["study_uid"]]
    # Warm the gate's resolver cache with the one-study answer first.
    for path in uid_paths:
        assert env.get(path, token=token_a).status_code == 200, path

    ds = pydicom.dcmread(io.BytesIO(env.admin_get("/instances/%s/file" % c["instance"]).content))
    ds.StudyInstanceUID = a["study_uid"]
    ds.SeriesInstanceUID = a["study_uid"] + ".77"
    ds.SOPInstanceUID = a["study_uid"] + ".77.1"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    buf = io.BytesIO()
    ds.save_as(buf)
    up = env.admin("POST", "/instances", data=buf.getvalue()).json()
    try:
        assert up["Status"] == "Success" and up["ParentStudy"] != a["study"]
        for path in uid_paths:
            r = env.get(path, token=token_a)
            assert r.status_code == 403, (path, r.status_code)
            assert b"SS-P2" not in r.content
        r = env.get("/studies/%s" % a["study"], token=token_a)
        assert r.status_code == 200 and r.json()["ID"] == a["study"]
        # The new, colliding study is not A's and is refused by Orthanc id too.
        assert env.get("/studies/%s" % up["ParentStudy"], token=token_a).status_code == 403
        # A share by DicomUid is ambiguous now: refused with 400.
        r = env.create_share_raw({"Resources": [{"Level": "Study", "DicomUid": a["study_uid"]}],
                                  "ValidityDuration": 60})
        assert r.status_code == 400 and r.json()["Error"]
    finally:
        assert env.admin("DELETE", "/instances/%s" % up["ID"]).status_code == 200
    for path in uid_paths:
        assert env.get(path, token=token_a).status_code == 200, path
