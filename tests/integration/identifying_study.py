# SPDX-License-Identifier: GPL-3.0-or-later
"""DICOM studies full of identifying values, written with pydicom from its
own CT sample file, for the anonymized-share tests.

Every identifying value is unusual enough that finding it in any answer
means it leaked (no false match with ordinary DICOM text).
"""

import os

import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

IDENTIFYING = {
    "PatientName": "ZEBRAFISH^QUENTIN^ALDOUS",
    "PatientID": "IDENT-77310042",
    "PatientBirthDate": "19610423",
    "AccessionNumber": "ACC99127Q",
    "InstitutionName": "Saint Quirinus Hospital",
    "InstitutionAddress": "12 Rue Obscure, Quimperle",
    "ReferringPhysicianName": "PHYSREF^OLIVANDER",
    "PerformingPhysicianName": "PHYSPERF^MARGOLYN",
    "OperatorsName": "OPERATOR^THADDEUS",
    "OtherPatientIDs": "OTHERID-55190077",
    "PatientAddress": "4 Impasse Cachee",
    "StationName": "STATION-KX9Q",
    "StudyID": "STUDYID-8812",
}
PRIVATE_CREATOR = "STUDYSHARE TEST"
PRIVATE_VALUE = "PRIVATE-SECRET-441793"

# What must never come out: each identifying value, and the words of the
# person names on their own (a viewer may print "QUENTIN ZEBRAFISH").
NEEDLES = sorted({v for v in IDENTIFYING.values()} | {"ZEBRAFISH", "QUENTIN", "OLIVANDER", "MARGOLYN",
                                                         "THADDEUS", "Quirinus", PRIVATE_VALUE, "1961-04-23"})


def write_study(folder, series_count=2, per_series=3, modality="CT", burned_in=None, sop_class=None,
                uid_root=None):
    """Writes a study; returns {"StudyInstanceUID", "Series": [{"SeriesInstanceUID", "SOPInstanceUIDs"}],
    "FrameOfReferenceUID"}."""
    os.makedirs(folder, exist_ok=True)
    template = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    study_uid = generate_uid(prefix=uid_root)
    frame_uid = generate_uid(prefix=uid_root)
    manifest = {"StudyInstanceUID": study_uid, "FrameOfReferenceUID": frame_uid, "Series": []}
    for s in range(series_count):
        series_uid = generate_uid(prefix=uid_root)
        sops = []
        for i in range(per_series):
            ds = template.copy()
            for name, value in IDENTIFYING.items():
                setattr(ds, name, value)
            ds.StudyInstanceUID = study_uid
            ds.SeriesInstanceUID = series_uid
            ds.FrameOfReferenceUID = frame_uid
            ds.SOPInstanceUID = generate_uid(prefix=uid_root)
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            if sop_class:
                ds.SOPClassUID = sop_class
                ds.file_meta.MediaStorageSOPClassUID = sop_class
            ds.Modality = modality
            ds.SeriesNumber = s + 1
            ds.InstanceNumber = i + 1
            ds.StudyDescription = "ANON TEST STUDY"
            ds.SeriesDescription = "SERIES %d" % (s + 1)
            if burned_in is not None:
                ds.BurnedInAnnotation = burned_in
            block = ds.private_block(0x0011, PRIVATE_CREATOR, create=True)
            block.add_new(0x01, "LO", PRIVATE_VALUE)
            path = os.path.join(folder, "s%d-i%03d.dcm" % (s, i))
            ds.save_as(path, write_like_original=False)
            sops.append(ds.SOPInstanceUID)
        manifest["Series"].append({"SeriesInstanceUID": series_uid, "SOPInstanceUIDs": sops})
    return manifest
