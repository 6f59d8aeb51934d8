"""The learner's outside training: submit it with evidence, follow its verification. The
evidence is served only to its owner and to staff, never from a public URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import user_is_staff_member
from config.dates import provider_today

from .forms import OutsideTrainingForm
from .models import OutsideTraining


@login_required
def outside_training(request: HttpRequest) -> HttpResponse:
    form = OutsideTrainingForm(
        request.POST or None, request.FILES or None, learner=request.user,
        today=provider_today(),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        form.instance.learner = request.user
        form.save()
        messages.success(request, "Submitted. A registrar will verify it; its hours count then.")
        return redirect("outside_training")
    return render(request, "learners/outside_training.html", {
        "form": form,
        "submissions": OutsideTraining.objects.filter(learner=request.user),
    })  # fmt: skip


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    training = get_object_or_404(OutsideTraining, pk=pk)
    staff = user_is_staff_member(request.user)
    if training.learner_id != request.user.pk and not staff:
        raise Http404
    # Trainings imported before each kept its own row point at the whole imported file,
    # which names every learner in it: registrars only.
    if training.evidence.name.startswith("imports/") and not staff:
        raise Http404
    return FileResponse(
        training.evidence.open("rb"), content_type=training.evidence_type,
        filename=f"evidence-{training.pk}{training.evidence.name[-4:]}",
    )  # fmt: skip
