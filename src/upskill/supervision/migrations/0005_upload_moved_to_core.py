"""Evidence uploads move to core's resumable upload (core.Upload, core/uploads.py): every
upload session is copied with the same id (its stored chunks keep their names,
"supervision/uploads/<id>/…"), the evidence fields into the upload's details, then the old
table goes. Reversible: going back copies the evidence uploads into the recreated table."""

from django.conf import settings
from django.db import migrations

PURPOSE = "supervision.evidence"


def _max_bytes(media: str) -> int:
    if media == "video":
        return settings.UPSKILL_EVIDENCE_VIDEO_MAX_BYTES
    return settings.UPSKILL_EVIDENCE_PHOTO_MAX_BYTES


def forwards(apps, schema_editor):
    UploadSession = apps.get_model("supervision", "UploadSession")
    Upload = apps.get_model("core", "Upload")
    batch = []
    for session in UploadSession.objects.order_by("created_at").iterator(chunk_size=1000):
        batch.append(
            Upload(
                id=session.id,
                purpose=PURPOSE,
                organisation_id=session.organisation_id,
                created_by_id=session.created_by_id,
                filename=session.filename,
                size=session.size,
                max_bytes=max(session.size, _max_bytes(session.media)),
                offset=session.offset,
                parts=session.parts,
                status=session.status,
                message=session.message,
                details={
                    "training_class": session.training_class_id,
                    "media": session.media,
                    "scene": session.scene,
                    "specialty": session.specialty,
                    "caption": session.caption,
                    "claimed_taken_at": (
                        session.claimed_taken_at.isoformat() if session.claimed_taken_at else None
                    ),
                },
                object_id=session.evidence_id,
            )
        )
        if len(batch) >= 1000:
            Upload.objects.bulk_create(batch)
            batch = []
    Upload.objects.bulk_create(batch)
    # auto_now_add / auto_now are set on insert: keep the sessions' own times
    for session in UploadSession.objects.only("id", "created_at", "updated_at").iterator():
        Upload.objects.filter(pk=session.id).update(
            created_at=session.created_at, updated_at=session.updated_at
        )


def backwards(apps, schema_editor):
    from datetime import datetime

    UploadSession = apps.get_model("supervision", "UploadSession")
    Evidence = apps.get_model("supervision", "Evidence")
    TrainingClass = apps.get_model("training", "TrainingClass")
    Upload = apps.get_model("core", "Upload")
    uploads = Upload.objects.filter(purpose=PURPOSE)
    classes = set(
        TrainingClass.objects.filter(
            pk__in={u.details.get("training_class") for u in uploads}
        ).values_list("pk", flat=True)
    )
    evidence = set(
        Evidence.objects.filter(pk__in={u.object_id for u in uploads if u.object_id}).values_list(
            "pk", flat=True
        )
    )
    for upload in uploads.iterator():
        details = upload.details or {}
        if details.get("training_class") not in classes:
            continue  # its class is gone: so would the session be (on delete cascade)
        claimed = details.get("claimed_taken_at")
        session = UploadSession.objects.create(
            id=upload.id,
            organisation_id=upload.organisation_id,
            created_by_id=upload.created_by_id,
            training_class_id=details["training_class"],
            media=details.get("media", "photo"),
            scene=details.get("scene", ""),
            specialty=details.get("specialty", ""),
            caption=details.get("caption", ""),
            claimed_taken_at=datetime.fromisoformat(claimed) if claimed else None,
            filename=upload.filename,
            size=upload.size,
            offset=upload.offset,
            parts=upload.parts,
            status=upload.status,
            message=upload.message,
            evidence_id=upload.object_id if upload.object_id in evidence else None,
        )
        UploadSession.objects.filter(pk=session.pk).update(
            created_at=upload.created_at, updated_at=upload.updated_at
        )
    uploads.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_sanction_reason_text"),
        ("core", "0008_upload"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="UploadSession"),
    ]
